package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.engine.rl.RlPlan;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train schema at run time: the plan a train record gives (defaults, reference, state, critic, sampling
 * bounds), and the errors for nested records computed at run time, which the static checker cannot see.
 */
class TrainSchemaTest {
    private final TinyExperiments tiny = new TinyExperiments();
    @TempDir Path dir;

    @AfterEach
    void close() {
        tiny.close();
    }

    private RlPlan plan(String extraKeys) {
        return tiny.plan(TinyExperiments.train(extraKeys), dir);
    }

    private String error(String declarations, String extraKeys) {
        return tiny.planError(declarations + TinyExperiments.train(extraKeys), dir);
    }

    @Test
    void noOptimizerMeansAdamwWithItsDefaults() {
        RlPlan.Optimizer o = plan("").optimizer();
        // adamw(lr = 1e-6, betas = none (= [0.9, 0.999]), weight_decay = 0.0, clip_grad = 1.0, "constant", 0, 0.0)
        assertEquals(new RlPlan.Optimizer(1e-6, 0.9, 0.999, 1e-8, 0.0, 1.0, RlPlan.Schedule.CONSTANT, 0, 0.0), o);
        assertEquals(plan("optimizer: adamw()").optimizer(), o);
        RlPlan.Optimizer set = plan("optimizer: adamw(lr: 3e-4, betas: [0.8, 0.99], clip_grad: none, schedule: \"cosine\", "
                + "warmup: 5, min_lr_ratio: 0.1, weight_decay: 0.01)").optimizer();
        assertEquals(new RlPlan.Optimizer(3e-4, 0.8, 0.99, 1e-8, 0.01, 0.0, RlPlan.Schedule.COSINE, 5, 0.1), set);
    }

    @Test
    void schemaDefaultsReachThePlan() {
        RlPlan p = tiny.plan("experiment e = train { policy: p, data: d, rewards: shape, credit: (b) => b.scores, "
                + "loss: (b) => mean(b.logp) }", dir);
        assertEquals(new RlPlan.Rollout(8, 1.0, 1.0, 0, 16, List.of(), RlPlan.Baseline.NONE), p.rollout());
        assertEquals(List.of(100, 16, 1, 0, 50, 2, 0L), List.of(p.steps(), p.batch(), p.epochs(), p.minibatch(),
                p.checkpointEvery(), p.keepLast(), p.seed()));
        assertFalse(p.reference());
        assertNull(p.critic());
        assertNull(p.dynamicSampling());
        assertNull(p.eval());
        assertNull(p.initialState());
    }

    @Test
    void referenceOnlyWhenDeclared() {
        assertFalse(plan("").reference());
        assertTrue(plan("reference: true").reference());
        assertFalse(plan("reference: false").reference());
    }

    @Test
    void recipesKeepAReferenceOnlyForAKlTerm() {
        String grpo = "import \"std/recipes/grpo\" as grpo\n"
                + "experiment e = grpo.recipe(policy: p, data: d, rewards: shape, group: 2, batch: 2, beta: %s)\n";
        assertFalse(tiny.plan(grpo.formatted("0.0"), dir).reference());
        assertTrue(tiny.plan(grpo.formatted("0.1"), dir).reference());
        String ppo = "import \"std/recipes/ppo\" as ppo\n"
                + "experiment e = ppo.recipe(policy: p, data: d, rewards: shape, group: 2, batch: 2, %s)\n";
        assertTrue(tiny.plan(ppo.formatted("beta: 0.05"), dir).reference());
        assertFalse(tiny.plan(ppo.formatted("beta: 0.0"), dir).reference());
        RlPlan adaptive = tiny.plan(ppo.formatted("beta: 0.0, kl_target: 0.1, kl_horizon: 100"), dir);
        assertTrue(adaptive.reference());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("beta", 0.0);
        state.put("target", 0.1);
        state.put("horizon", 100L);
        state.put("kl", null);
        assertEquals(state, adaptive.initialState());
    }

    @Test
    void stateRecordBecomesThePlainTree() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("on", true);
        nested.put("name", "x");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("baseline", null);
        expected.put("beta", 0.9);
        expected.put("seen", List.of(1L, 2.5));
        expected.put("nested", nested);
        expected.put("mean", 1.5);
        Map<String, Object> state = plan("state: {baseline: none, beta: 0.9, seen: [1, 2.5], "
                + "nested: {on: true, name: \"x\"}, mean: mean(tensor([1.0, 2.0]))}").initialState();
        assertEquals(expected, state);
        assertEquals(List.of(Long.class, Double.class),
                ((List<?>) state.get("seen")).stream().map(Object::getClass).toList());
    }

    @Test
    void valuesThatCannotBeCarriedAreErrorsAtTheStateKey() {
        String fn = error("", "state: {f: (x) => x}");
        assertTrue(fn.startsWith("exp.rlx:7:"), fn);
        assertTrue(fn.contains("train.state (at state.f) is a function; carried state holds only numbers"), fn);
        String big = error("", "state: {xs: tensor([1.0, 2.0])}");
        assertTrue(big.contains("(at state.xs) is a tensor of shape [2]; only a one-element tensor is carried"), big);
        String tagged = error("", "state: {opt: adamw()}");
        assertTrue(tagged.contains("(at state.opt) is an optimizer record; carry its fields in a plain record"), tagged);
        String notRecord = error("s0 = 3\n", "state: s0");
        assertTrue(notRecord.contains("train.state must be a record {...}"), notRecord);
    }

    @Test
    void computedNestedRecordsWithUnknownKeysAreErrorsAtTheKey() {
        String critic = error("cfg = {lrr: 1e-5, clip: 0.5}\n", "critic: cfg");
        assertEquals("""
                exp.rlx:7:8: unknown key 'lrr' in train.critic record
                  cfg = {lrr: 1e-5, clip: 0.5}
                         ^^^
                  hint: did you mean 'lr'?""", critic);
        String rollout = error("mk(n) = {group: n, max_token: 4}\n", "rollout: mk(2)");
        assertTrue(rollout.startsWith("exp.rlx:7:20: unknown key 'max_token' in train.rollout record"), rollout);
        assertTrue(rollout.contains("did you mean 'max_tokens'?"), rollout);
        String eval = error("ev = {data: d, metric: shape, evry: 3}\n", "eval: ev");
        assertTrue(eval.contains("unknown key 'evry' in train.eval record") && eval.contains("'every'"), eval);
        String dynamic = error("ds = {max_retries: 2, min_acuracy: 0.2}\n", "dynamic_sampling: ds");
        assertTrue(dynamic.contains("unknown key 'min_acuracy' in train.dynamic_sampling record")
                && dynamic.contains("'min_accuracy'"), dynamic);
        String tagged = error("o = optimizer {name: \"adamw\", lr: 1e-5, betas: [0.9, 0.999], weight_decay: 0.0, "
                + "clip_grad: 1.0, schedule: \"constant\", warmup: 0, min_lr_ratio: 0.0, lrr: 2.0}\n", "optimizer: o");
        assertTrue(tagged.contains("unknown key 'lrr' in train.optimizer record") && tagged.contains("'lr'"), tagged);
        String optimizer = error("o = {lr: 1e-5}\n", "optimizer: o");
        assertTrue(optimizer.contains("train.optimizer must be an optimizer record, built by adamw(...), got a record"),
                optimizer);
    }

    @Test
    void computedValuesOfTheWrongTypeAreErrorsAtTheirKey() {
        String group = error("g = \"8\"\n", "rollout: {group: g, max_tokens: 4}");
        assertTrue(group.startsWith("exp.rlx:8:"), group);
        assertTrue(group.contains("train.rollout.group must be an int, got a string"), group);
        String lr = error("c = {lr: \"fast\"}\n", "critic: c");
        assertTrue(lr.startsWith("exp.rlx:7:6: train.critic.lr must be a number, got a string"), lr);
        String every = error("ev = {data: d, metric: shape, every: 2.5}\n", "eval: ev");
        assertTrue(every.contains("train.eval.every must be an int, got a float"), every);
        String loss = error("c = {loss: 3}\n", "critic: c");
        assertTrue(loss.contains("train.critic.loss must be a function of the batch"), loss);
        String epochs = error("n = 1.5\n", "epochs: n");
        assertTrue(epochs.contains("train.epochs must be an int, got a float"), epochs);
        String baseline = error("mode = \"greedyy\"\n", "rollout: {baseline: mode}");
        assertTrue(baseline.contains("train.rollout.baseline must be \"none\" or \"greedy\", got \"greedyy\""), baseline);
        assertTrue(baseline.contains("did you mean 'greedy'?"), baseline);
    }

    @Test
    void rolloutBaselineAndAccuracyBoundsReachThePlan() {
        assertEquals(RlPlan.Baseline.GREEDY, plan("rollout: {group: 2, baseline: \"greedy\"}").rollout().baseline());
        RlPlan p = plan("eval: {data: d, metric: shape}, dynamic_sampling: {max_retries: 1, min_accuracy: 0.2, "
                + "max_accuracy: 0.8}");
        assertEquals(new RlPlan.DynamicSampling(1, 0.2, 0.8), p.dynamicSampling());
        assertEquals(new RlPlan.DynamicSampling(3, null, null), plan("dynamic_sampling: {}").dynamicSampling());
    }

    @Test
    void accuracyBoundsNeedTheEvalMetricAndAnOrderedWindowInZeroOne() {
        String noMetric = error("", "dynamic_sampling: {min_accuracy: 0.2}");
        assertTrue(noMetric.contains("train.dynamic_sampling.min_accuracy needs eval.metric"), noMetric);
        String order = error("", "eval: {data: d, metric: shape}, dynamic_sampling: {min_accuracy: 0.8, max_accuracy: 0.2}");
        assertTrue(order.contains("train.dynamic_sampling.max_accuracy (0.2) is below min_accuracy (0.8)"), order);
        String range = error("", "eval: {data: d, metric: shape}, dynamic_sampling: {max_accuracy: 1.5}");
        assertTrue(range.contains("train.dynamic_sampling.max_accuracy must lie in [0, 1], got 1.5"), range);
    }

    @Test
    void theCriticTrainsOnItsOwnLossWithAdamwDefaultsAtItsLr() {
        RlPlan p = plan("critic: {lr: 2e-5}");
        assertNotNull(p.critic().valueLoss());
        assertEquals(new RlPlan.Optimizer(2e-5, 0.9, 0.999, 1e-8, 0.0, 1.0, RlPlan.Schedule.CONSTANT, 0, 0.0),
                p.critic().optimizer());
        assertNotNull(plan("critic: {loss: (b) => mean(b.values)}").critic().valueLoss());
        String ignored = error("", "critic: {clip: 0.2, loss: (b) => mean(b.values)}");
        assertTrue(ignored.contains("train.critic.clip is read only by the default critic loss"), ignored);
    }

    @Test
    void helpShowsTheKeysWithTypesDefaultsAndNestedRecords() {
        String help = tiny.session.help("train");
        for (String line : List.of("  steps: int = 100  -- RL steps", "  reference: bool = false  -- ",
                "  optimizer: optimizer = adamw()  -- adamw(lr = 1e-6,", "  critic: record = none  -- ",
                "    clip: float = 0.5  -- ", "    loss: function = (b) => loss.value(b.values, b.old_values, b.returns, "
                        + "b.mask, clip: clip)", "    baseline: string = \"none\" (\"none\" or \"greedy\")",
                "    min_accuracy: float = none  -- ", "  policy: model, required  -- ", "  state: record = none  -- ")) {
            assertTrue(help.contains(line), line + " in\n" + help);
        }
        assertTrue(tiny.session.help("train.eval").startsWith("eval: record = none"), tiny.session.help("train.eval"));
        assertTrue(Arrays.stream(help.split("\n")).allMatch(l -> l.startsWith("  ") || l.startsWith("train")), help);
    }
}
