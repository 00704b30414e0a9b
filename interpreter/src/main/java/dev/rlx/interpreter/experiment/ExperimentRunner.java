package dev.rlx.interpreter.experiment;

import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.data.Row;
import dev.rlx.engine.rl.Correctness;
import dev.rlx.engine.rl.CreditFunction;
import dev.rlx.engine.rl.LossFunction;
import dev.rlx.engine.rl.PromptSource;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.engine.rl.ValueLosses;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.interpreter.api.FunctionHandle;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.model.ModelValue;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.RlxReward;
import dev.rlx.interpreter.tensor.TensorValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an evaluated `experiment` (a `train { ... }` record) into the engine's {@link RlPlan}: rewards,
 * credit and loss stay script functions, called through {@link FunctionHandle}s on the training thread.
 * The api's {@code RlxRuns} prepares the run folder and runs the plan.
 */
public final class ExperimentRunner {
    private final RlxSession session;
    private final RlxSession.Script script;
    private final TrainRecord train;

    private ExperimentRunner(RlxSession session, RlxSession.Script script, String experiment) {
        this.session = session;
        this.script = script;
        Object v = session.value(script, experiment);
        if (!(v instanceof RlxRecord r) || !"train".equals(r.tag())) {
            throw new RlxError("error: '" + experiment + "' is not an experiment (a train record)", null);
        }
        this.train = new TrainRecord(r, session, "train");
    }

    /** The engine plan for {@code experiment} (a `train { ... }` record of the script) training into {@code runDir}. */
    public static RlPlan plan(RlxSession session, RlxSession.Script script, String experiment, Path runDir) {
        return new ExperimentRunner(session, script, experiment).plan(runDir);
    }

    private RlPlan plan(Path runDir) {
        ModelValue policy = train.get("policy", ModelValue.class, "a model (gpt(...), load_model(...), sft(...))");
        if (policy.tokenizer() == null) {
            throw train.error("policy", "the policy has no tokenizer; build it with gpt(tokenizer: ...) or load a folder "
                    + "with tokenizer.json");
        }
        DatasetValue data = train.get("data", DatasetValue.class, "a dataset (tasks.addition(...), jsonl(...))");
        Duration timeout = Duration.ofMillis((long) (train.number("reward_timeout", 10.0) * 1000));
        String onError = train.string("on_reward_error", "stop");
        if (!onError.equals("stop") && !onError.equals("zero")) {
            throw train.error("on_reward_error", "must be \"stop\" or \"zero\", got \"" + onError + "\"");
        }
        ScriptRewards rewards = new ScriptRewards(session, train.reward("rewards"), timeout, onError.equals("zero"));
        RlxFunction credit = train.get("credit", RlxFunction.class, "a function of the batch, (b) => ...");
        RlxFunction loss = train.get("loss", RlxFunction.class, "a function of the batch, (b) => ...");
        RlPlan.Builder b = RlPlan.builder()
                .policy(policy.model())
                .tokenizer(policy.tokenizer().tokenizer())
                .data(prompts(data.dataset()))
                .rewards(rewards)
                .credit(creditFunction(credit))
                .loss(lossFunction(loss, "loss"))
                .runDir(runDir);
        TrainRecord rollout = train.nested("rollout");
        if (rollout != null) {
            b.rollout(new RlPlan.Rollout((int) rollout.integer("group", 8), rollout.number("temperature", 1.0),
                    rollout.number("top_p", 1.0), (int) rollout.integer("top_k", 0), (int) rollout.integer("max_tokens", 16),
                    rollout.strings("stop")));
        }
        b.optimizer(optimizer(train.nested("optimizer"), RlPlan.Optimizer.defaults()));
        b.steps((int) train.integer("steps", 100)).batch((int) train.integer("batch", 16))
                .epochs((int) train.integer("epochs", 1)).minibatch((int) train.integer("minibatch", 0))
                .checkpointEvery((int) train.integer("checkpoint_every", 50))
                .keepLast((int) train.integer("keep_checkpoints", 2)).seed(train.integer("seed", 0));
        Object reference = train.raw("reference");
        b.reference(reference instanceof Boolean r ? r : readsField(credit, "ref_logp") || readsField(loss, "ref_logp"));
        TrainRecord critic = train.nested("critic");
        if (critic != null) {
            RlPlan.Optimizer copt = RlPlan.Optimizer.defaults().withLr(critic.number("lr", 1e-5));
            b.critic(new RlPlan.Critic(copt, ValueLosses.clipped(critic.number("clip", 0.5))));
        }
        TrainRecord dynamic = train.nested("dynamic_sampling");
        if (dynamic != null) {
            b.dynamicSampling(new RlPlan.DynamicSampling((int) dynamic.integer("max_retries", 3)));
        }
        TrainRecord eval = train.nested("eval");
        if (eval != null) {
            DatasetValue evalData = eval.get("data", DatasetValue.class, "a dataset");
            RlxReward metric = eval.reward("metric");
            ScriptRewards metricRewards = new ScriptRewards(session, metric, timeout, onError.equals("zero"));
            String name = metricRewards.firstName();
            Correctness correct = Correctness.ofTerm(metricRewards, name, 0.5);
            b.eval(new RlPlan.Eval(prompts(evalData.dataset()), (int) eval.integer("every", 10),
                    eval.bool("greedy", true), (int) eval.integer("limit", 0), correct));
            b.correctness(correct);
        }
        return b.build();
    }

    private static RlPlan.Optimizer optimizer(TrainRecord opt, RlPlan.Optimizer d) {
        if (opt == null) {
            return d;
        }
        List<Double> betas = opt.numbers("betas");
        Object clip = opt.raw("clip_grad");
        RlPlan.Schedule schedule = RlPlan.Schedule.valueOf(opt.string("schedule", "constant").toUpperCase());
        return new RlPlan.Optimizer(opt.number("lr", d.lr()), betas.isEmpty() ? d.beta1() : betas.get(0),
                betas.isEmpty() ? d.beta2() : betas.get(1), d.eps(), opt.number("weight_decay", 0.0),
                clip instanceof Number n ? n.doubleValue() : 0.0, schedule, (int) opt.integer("warmup", 0),
                opt.number("min_lr_ratio", 0.0));
    }

    /** Whether a function's own source mentions `b.<field>` (used to decide if a reference model is needed). */
    static boolean readsField(RlxFunction f, String field) {
        var section = f.callTarget().getRootNode().getSourceSection();
        return section != null && section.isAvailable() && section.getCharacters().toString().contains("." + field);
    }

    private static PromptSource prompts(Dataset data) {
        return new PromptSource() {
            @Override
            public int size() {
                return data.size();
            }

            @Override
            public Prompt get(int index) {
                Row r = data.get(index);
                return new Prompt(r.prompt(), r.answer(), r.fields());
            }
        };
    }

    private CreditFunction creditFunction(RlxFunction fn) {
        FunctionHandle h = FunctionErrors.oneArgument(session, fn, "the credit function", "the batch", null, null);
        return batch -> {
            Object v = h.call(new BatchValue(batch));
            long[] bt = batch.mask().shape();
            if (v instanceof TensorValue t) {
                return new CreditFunction.Credit(checkAdvantages(t, bt, fn));
            }
            if (v instanceof RlxRecord r && r.get("advantages") != null) {
                Tensor advantages = checkAdvantages(r.get("advantages"), bt, fn);
                Object ret = r.get("returns");
                if (ret == null || ret == RlxNone.INSTANCE) {
                    return new CreditFunction.Credit(advantages);
                }
                if (!(ret instanceof TensorValue rt) || !Arrays.equals(rt.tensor().shape(), bt)) {
                    throw FunctionErrors.at(fn, "the credit function returned returns " + shaped(ret)
                            + "; expected a tensor [B,T] = " + Arrays.toString(bt) + " or none");
                }
                return new CreditFunction.Credit(advantages, rt.tensor());
            }
            throw FunctionErrors.at(fn, "the credit function returned " + FunctionErrors.describe(v)
                    + (v instanceof RlxRecord r ? " without 'advantages' (fields: " + String.join(", ", r.shape().keys())
                    + ")" : "") + "; expected advantages: a tensor [B] or [B,T], or a record {advantages, returns}");
        };
    }

    /** Advantages [B] (one per completion) or [B,T] (per token), T the batch's longest completion. */
    private static Tensor checkAdvantages(Object v, long[] bt, RlxFunction fn) {
        long[] s = v instanceof TensorValue t ? t.tensor().shape() : null;
        boolean ok = s != null && (s.length == 1 && s[0] == bt[0] || Arrays.equals(s, bt));
        if (!ok) {
            throw FunctionErrors.at(fn, "the credit function returned advantages " + shaped(v)
                    + "; expected a tensor [B] = [" + bt[0] + "] or [B,T] = " + Arrays.toString(bt)
                    + " (B = prompts x group, T = the longest completion)");
        }
        return ((TensorValue) v).tensor();
    }

    /** `of shape [16, 4]` for a tensor, else `as a float`. */
    private static String shaped(Object v) {
        return v instanceof TensorValue t ? "of shape " + Arrays.toString(t.tensor().shape()) : "as " + FunctionErrors.describe(v);
    }

    private LossFunction lossFunction(RlxFunction fn, String what) {
        FunctionHandle h = FunctionErrors.oneArgument(session, fn, "the " + what + " function", "the batch", null, null);
        return batch -> {
            Object v = h.call(new BatchValue(batch));
            if (v instanceof TensorValue t && t.tensor().size() == 1) {
                return new LossFunction.Loss(t.tensor());
            }
            if (v instanceof RlxRecord r && r.get("loss") instanceof TensorValue t && t.tensor().size() == 1) {
                Map<String, Double> diagnostics = new LinkedHashMap<>();
                for (int i = 0; i < r.size(); i++) {
                    Object d = r.value(i);
                    if (r.key(i).equals("loss")) {
                        continue;
                    }
                    if (d instanceof Number n) {
                        diagnostics.put(r.key(i), n.doubleValue());
                    } else if (d instanceof TensorValue dt && dt.tensor().size() == 1) {
                        diagnostics.put(r.key(i), dt.tensor().item());
                    }
                }
                return new LossFunction.Loss(t.tensor(), diagnostics);
            }
            Object loss = v instanceof RlxRecord r ? r.get("loss") : v;
            String got = !(v instanceof RlxRecord r) ? FunctionErrors.describe(v)
                    : loss == null ? "a record without 'loss' (fields: " + String.join(", ", r.shape().keys()) + ")"
                    : "a record whose loss is " + FunctionErrors.describe(loss);
            throw FunctionErrors.at(fn, "the " + what + " function returned " + got
                    + "; expected a scalar tensor or a record {loss: <scalar tensor>, ...}"
                    + (loss instanceof TensorValue ? " (reduce it, e.g. with mean or loss.aggregate)" : ""));
        };
    }
}
