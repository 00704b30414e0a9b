package dev.rlx.interpreter.experiment;

import dev.rlx.engine.data.DataException;
import dev.rlx.engine.data.PairEncoder;
import dev.rlx.engine.data.PreferenceExample;
import dev.rlx.engine.pref.Contrast;
import dev.rlx.engine.pref.PreferencePlan;
import dev.rlx.engine.rl.Correctness;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.model.ModelValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Turns an evaluated `preference { ... }` record into the engine's {@link PreferencePlan}: the data encoded for
 * the policy (and, with `contrast`, its prompts again behind T-REG's two instructions), the loss a script function
 * called with the preference batch `b`, every default from {@link PreferenceSchema}.
 */
public final class PreferenceRunner {
    private PreferenceRunner() {}

    /** The engine plan of the preference {@code experiment} in {@code script}, running in {@code runDir}. */
    public static PreferencePlan plan(RlxSession session, RlxSession.Script script, String experiment, Path runDir) {
        TrainRecord pref = TrainRecord.open(
                ExperimentRunner.experimentRecord(session, script, experiment, PreferenceSchema.TAG), session);
        ModelValue policy = pref.get("policy", ModelValue.class);
        if (policy.tokenizer() == null) {
            throw pref.error("policy", "has no tokenizer; build it with gpt(tokenizer: ...) or load a folder "
                    + "with tokenizer.json");
        }
        if (!policy.model().compute().isFloat32()) {
            throw pref.error("policy", "is a " + policy.model().compute().dtype() + " model: preference training "
                    + "needs float32 (half-precision training has no fp32 master weights yet)", "build or load the "
                    + "policy with dtype: \"float32\"");
        }
        DatasetValue data = pref.get("data", DatasetValue.class);
        List<PreferenceExample> examples;
        try {
            examples = PairEncoder.encode(data.dataset(), policy.tokenizer().tokenizer(),
                    policy.model().config().maxPositions());
        } catch (DataException e) {
            throw pref.error("data", "cannot be trained on: " + e.getMessage());
        }
        int batch = (int) pref.integer("batch");
        if (batch < 1) throw pref.error("batch", "must be at least 1, got " + batch);
        int steps;
        if (pref.has("steps")) {
            steps = (int) pref.integer("steps");
            if (steps < 1) throw pref.error("steps", "must be at least 1, got " + steps);
        } else {
            long epochs = pref.integer("epochs");
            if (epochs < 1) throw pref.error("epochs", "must be at least 1, got " + epochs);
            steps = (int) Math.ceil(epochs * (double) examples.size() / batch);
        }
        RlPlan.Eval eval = null;
        RlPlan.Rollout decoding = null;
        TrainRecord ev = pref.nested("eval");
        if (ev != null) {
            DatasetValue evalData = ev.get("data", DatasetValue.class);
            ScriptRewards metric = new ScriptRewards(session, ev.reward("metric"), Duration.ofSeconds(10), false);
            Correctness correct = Correctness.ofTerm(metric, metric.firstName(), TrainSchema.CORRECT_SCORE);
            eval = new RlPlan.Eval(ExperimentRunner.prompts(evalData.dataset()), (int) ev.integer("every"),
                    ev.bool("greedy"), ev.has("limit") ? (int) ev.integer("limit") : 0, correct);
            RlPlan.Rollout d = RlPlan.Rollout.defaults();
            decoding = new RlPlan.Rollout(1, d.temperature(), d.topP(), d.topK(), (int) ev.integer("max_tokens"), List.of());
        }
        return new PreferencePlan(policy.model(), policy.tokenizer().tokenizer(), examples,
                BatchFunctions.preferenceLoss(session, pref.function("loss")),
                ExperimentRunner.optimizer(pref.nested("optimizer")), steps, batch, pref.bool("reference"), eval,
                decoding, (int) pref.integer("checkpoint_every"), (int) pref.integer("keep_checkpoints"),
                pref.integer("seed"), runDir, contrast(pref, data, examples, policy));
    }

    /** The `contrast` record as the engine's prompts, or null when it is off; its errors point into the record. */
    private static Contrast contrast(TrainRecord pref, DatasetValue data, List<PreferenceExample> examples,
                                     ModelValue policy) {
        TrainRecord c = pref.nested("contrast");
        if (c == null) return null;
        String better = c.string("better");
        String worse = c.string("worse");
        if (better.equals(worse)) {
            throw c.error("worse", "is the better instruction again (\"" + worse + "\"): the token rewards would all "
                    + "be 0");
        }
        Contrast.Scorer scorer = c.string("model").equals("policy") ? Contrast.Scorer.POLICY
                : Contrast.Scorer.REFERENCE;
        if (scorer == Contrast.Scorer.REFERENCE && !pref.bool("reference")) {
            throw c.error("model", "is \"reference\", but the experiment keeps no reference model",
                    "set `reference: true`, or `model: \"policy\"` to score with the policy being trained");
        }
        var tokenizer = policy.tokenizer().tokenizer();
        int context = policy.model().config().maxPositions();
        try {
            return new Contrast(PairEncoder.instructed(data.dataset(), examples, tokenizer, context, better, "better"),
                    PairEncoder.instructed(data.dataset(), examples, tokenizer, context, worse, "worse"), scorer);
        } catch (DataException e) {
            throw pref.error("contrast", "cannot be used: " + e.getMessage());
        }
    }
}
