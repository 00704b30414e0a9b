package dev.rlx.interpreter.experiment;

import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.engine.tokenizer.chat.ChatPrompts;
import dev.rlx.engine.data.Row;
import dev.rlx.engine.rl.Correctness;
import dev.rlx.engine.rl.PromptSource;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.model.ModelReward;
import dev.rlx.interpreter.model.ModelValue;
import dev.rlx.interpreter.runtime.RlxRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Turns an evaluated `experiment` (a `train { ... }` record) into the engine's {@link RlPlan}: rewards,
 * credit and loss stay script functions, called through function handles on the training thread.
 * The api's {@code RlxRuns} prepares the run folder and runs the plan.
 */
public final class ExperimentRunner {
    private final RlxSession session;
    private final RlxSession.Script script;
    private final TrainRecord train;

    private ExperimentRunner(RlxSession session, RlxSession.Script script, String experiment) {
        this.session = session;
        this.script = script;
        this.train = TrainRecord.open(experimentRecord(session, script, experiment, TrainSchema.TAG), session);
    }

    /** Whether {@code experiment} is an offline preference experiment (a `preference` record) rather than RL. */
    public static boolean isPreference(RlxSession session, RlxSession.Script script, String experiment) {
        return session.value(script, experiment) instanceof RlxRecord r && PreferenceSchema.TAG.equals(r.tag());
    }

    static RlxRecord experimentRecord(RlxSession session, RlxSession.Script script, String experiment, String tag) {
        Object v = session.value(script, experiment);
        if (!(v instanceof RlxRecord r) || !tag.equals(r.tag())) {
            throw new RlxError("error: '" + experiment + "' is not an experiment (a " + tag + " record)", null);
        }
        return r;
    }

    /**
     * The engine plan of {@code experiment} in {@code script}, running in {@code runDir} (which this does not
     * create or write). Every default comes from {@link TrainSchema} through {@link TrainRecord}.
     */
    public static RlPlan plan(RlxSession session, RlxSession.Script script, String experiment, Path runDir) {
        return new ExperimentRunner(session, script, experiment).plan(runDir);
    }

    private RlPlan plan(Path runDir) {
        ModelValue policy = train.get("policy", ModelValue.class);
        if (policy.tokenizer() == null) {
            throw train.error("policy", "has no tokenizer; build it with gpt(tokenizer: ...) or load a folder "
                    + "with tokenizer.json");
        }
        if (!policy.model().compute().isFloat32()) {
            throw train.error("policy", "is a " + policy.model().compute().dtype() + " model: RL steps need float32 "
                    + "(half-precision training has no fp32 master weights yet)", "build or load the policy with "
                    + "dtype: \"float32\"");
        }
        DatasetValue data = train.get("data", DatasetValue.class);
        Duration timeout = Duration.ofMillis((long) (train.number("reward_timeout") * 1000));
        boolean zeroOnError = train.string("on_reward_error").equals("zero");
        ScriptRewards rewards = new ScriptRewards(session, train.reward("rewards"), timeout, zeroOnError);
        for (ModelReward m : ScriptRewards.modelTerms(train.reward("rewards"))) {
            int rmVocab = m.model().model().config().vocabSize();
            int policyVocab = policy.tokenizer().tokenizer().vocabSize();
            if (rmVocab < policyVocab) {
                throw train.error("rewards", "scores with " + m.describe() + ", whose vocabulary (" + rmVocab
                        + ") is smaller than the policy's tokenizer (" + policyVocab + "): a reward model reads the "
                        + "policy's sampled token ids, so make it from a model with the policy's tokenizer");
            }
        }
        RlPlan.Builder b = RlPlan.builder()
                .policy(policy.model())
                .tokenizer(policy.tokenizer().tokenizer())
                .data(prompts(data.dataset(), policy.tokenizer().tokenizer(), train, "data"))
                .rewards(rewards)
                .credit(BatchFunctions.credit(session, train.function("credit")))
                .loss(BatchFunctions.loss(session, train.function("loss"), "loss"))
                .runDir(runDir);
        TrainRecord rollout = train.nested("rollout");
        b.rollout(new RlPlan.Rollout((int) rollout.integer("group"), rollout.number("temperature"),
                rollout.number("top_p"), (int) rollout.integer("top_k"), (int) rollout.integer("max_tokens"),
                rollout.strings("stop"), RlPlan.Baseline.valueOf(rollout.string("baseline").toUpperCase())));
        RlPlan.Optimizer optimizer = optimizer(train.nested("optimizer"));
        b.optimizer(optimizer);
        b.steps((int) train.integer("steps")).batch((int) train.integer("batch"))
                .epochs((int) train.integer("epochs"))
                .minibatch(train.has("minibatch") ? (int) train.integer("minibatch") : 0) // 0: the engine's "whole batch"
                .checkpointEvery((int) train.integer("checkpoint_every"))
                .keepLast((int) train.integer("keep_checkpoints")).seed(train.integer("seed"))
                .reference(train.bool("reference") || train.has("prm"))
                .sharedPrompts(train.bool("shared_prompts"));
        if (train.has("state")) {
            b.initialState(initialState());
        }
        TrainRecord critic = train.nested("critic");
        if (critic != null) {
            if (critic.has("loss") && critic.has("clip")) {
                // clip is read only by the default loss: accepted here, it would silently do nothing
                throw critic.error("clip", "is read only by the default critic loss; with a loss of your own, pass the "
                        + "clip range inside it");
            }
            // the critic's AdamW is the default optimizer (adamw()) at the critic's own lr
            RlPlan.Optimizer adamw = optimizer(train.defaultNested("optimizer"));
            b.critic(new RlPlan.Critic(adamw.withLr(critic.number("lr")),
                    BatchFunctions.loss(session, critic.function("loss"), "critic.loss")));
        }
        TrainRecord prm = train.nested("prm");
        if (prm != null) {
            b.prm(prm(prm, policy));
        }
        TrainRecord eval = train.nested("eval");
        if (eval != null) {
            DatasetValue evalData = eval.get("data", DatasetValue.class);
            ScriptRewards metricRewards = new ScriptRewards(session, eval.reward("metric"), timeout, zeroOnError);
            Correctness correct = Correctness.ofTerm(metricRewards, metricRewards.firstName(), TrainSchema.CORRECT_SCORE);
            b.eval(new RlPlan.Eval(prompts(evalData.dataset(), policy.tokenizer().tokenizer(), eval, "data"), (int) eval.integer("every"), eval.bool("greedy"),
                    eval.has("limit") ? (int) eval.integer("limit") : 0, correct)); // 0: the engine's "all prompts"
            b.correctness(correct);
        }
        TrainRecord dynamic = train.nested("dynamic_sampling");
        if (dynamic != null) {
            b.dynamicSampling(dynamicSampling(dynamic, eval != null));
        }
        TrainRecord select = train.nested("select");
        if (select != null) {
            b.selection(PromptSelection.plan(select, data.dataset(), (int) train.integer("steps"), eval != null));
        }
        TrainRecord prune = train.nested("prune");
        if (prune != null) {
            long keep = prune.integer("keep");
            int group = (int) rollout.integer("group");
            if (keep < 1 || keep >= group) {
                throw prune.error("keep", "must be between 1 and the group size - 1 (" + (group - 1) + "), got " + keep
                        + "; without pruning, leave prune out");
            }
            b.pruneKeep((int) keep);
        }
        return b.build();
    }

    /** PRIME's PRM: its model (a copy of the policy by default), beta, AdamW at its lr, outcome term, loss. */
    private RlPlan.Prm prm(TrainRecord prm, ModelValue policy) {
        String outcome = prm.string("outcome");
        List<String> terms = train.reward("rewards").terms().stream().map(t -> t.name()).toList();
        if (!terms.contains(outcome)) {
            throw prm.error("outcome", "names no reward term of this experiment: \"" + outcome + "\" (terms: "
                    + String.join(", ", terms) + "); add the verifier to rewards, at weight 0 if it should not "
                    + "count in the score");
        }
        dev.rlx.engine.model.CausalLM model = null;
        if (prm.has("model")) {
            ModelValue m = prm.get("model", ModelValue.class);
            if (m.model().config().vocabSize() < policy.tokenizer().tokenizer().vocabSize()) {
                throw prm.error("model", "has a vocabulary of " + m.model().config().vocabSize()
                        + ", smaller than the policy's tokenizer: the PRM scores the policy's sampled token ids");
            }
            model = m.model();
        }
        RlPlan.Optimizer adamw = optimizer(train.defaultNested("optimizer")).withLr(prm.number("lr"));
        return new RlPlan.Prm(model, prm.number("beta"), adamw, outcome,
                BatchFunctions.loss(session, prm.function("loss"), "prm.loss"));
    }

    private Map<String, Object> initialState() {
        try {
            return CarriedValues.toEngine(train.get("state", RlxRecord.class));
        } catch (CarriedValues.Uncarriable e) {
            throw train.error("state", (e.where.equals("state") ? "" : "(at " + e.where + ") ") + e.problem);
        }
    }

    /** Groups kept by spread and, when bounds are given, by accuracy on the eval metric (PRIME's filter). */
    private static RlPlan.DynamicSampling dynamicSampling(TrainRecord dynamic, boolean hasMetric) {
        Double[] bounds = new Double[2];
        String[] keys = {"min_accuracy", "max_accuracy"};
        for (int i = 0; i < 2; i++) {
            if (!dynamic.has(keys[i])) {
                continue;
            }
            bounds[i] = dynamic.number(keys[i]);
            if (!hasMetric) {
                throw dynamic.error(keys[i], "needs eval.metric: a group's accuracy is the share of its completions "
                        + "that metric accepts");
            }
            if (bounds[i] < 0 || bounds[i] > 1) {
                throw dynamic.error(keys[i], "must lie in [0, 1], got " + bounds[i]);
            }
        }
        if (bounds[0] != null && bounds[1] != null && bounds[0] > bounds[1]) {
            throw dynamic.error("max_accuracy", "(" + bounds[1] + ") is below min_accuracy (" + bounds[0] + ")");
        }
        return new RlPlan.DynamicSampling((int) dynamic.integer("max_retries"), bounds[0], bounds[1]);
    }

    /** The record adamw(...) built (every key is there; see ExperimentBuiltins.ADAMW for its defaults). */
    static RlPlan.Optimizer optimizer(TrainRecord opt) {
        List<Double> betas = opt.numbers("betas");
        RlPlan.Schedule schedule = RlPlan.Schedule.valueOf(opt.string("schedule").toUpperCase());
        // adamw has no eps parameter: the engine's is the only one; a clip_grad of none is the engine's 0 (off)
        return new RlPlan.Optimizer(opt.number("lr"), betas.get(0), betas.get(1), RlPlan.Optimizer.defaults().eps(),
                opt.number("weight_decay"), opt.has("clip_grad") ? opt.number("clip_grad") : 0.0, schedule,
                (int) opt.integer("warmup"), opt.number("min_lr_ratio"));
    }

    static PromptSource prompts(Dataset data) {
        return prompts(data, null, null, null);
    }

    /**
     * The prompts of data. Chat rows (a {@code messages} conversation: JSONL prompts that are message lists,
     * {@code tasks.chat(...)}) are prompted as their conversation rendered by the policy's chat template
     * (rendered once, on first use); the sample's {@code prompt} is that text. A chat row with a policy tokenizer
     * that has no template is an error at {@code where.key}, before anything runs.
     */
    static PromptSource prompts(Dataset data, Tokenizer policy, TrainRecord where, String key) {
        boolean chat = data.rows().stream().anyMatch(r -> r.messages() != null);
        if (chat && (policy == null || policy.chatTemplate() == null)) {
            String problem = "holds chat rows (" + data.name() + ": prompts that are conversations) but the policy's "
                    + "tokenizer has no chat template to render them";
            if (where == null) {
                throw new RlxError("error: " + problem, null);
            }
            throw where.error(key, problem, "load a tokenizer folder whose tokenizer_config.json has a chat_template, "
                    + "and give it to the policy (gpt(tokenizer: ...), load_model)");
        }
        String[] rendered = new String[data.size()];
        return new PromptSource() {
            @Override
            public int size() {
                return data.size();
            }

            @Override
            public Prompt get(int index) {
                Row r = data.get(index);
                String text = r.prompt();
                if (r.messages() != null) {
                    if (rendered[index] == null) {
                        rendered[index] = ChatPrompts.promptText(policy, r.messages(), "the policy's tokenizer");
                    }
                    text = rendered[index];
                }
                return new Prompt(text, r.answer(), r.fields());
            }
        };
    }
}
