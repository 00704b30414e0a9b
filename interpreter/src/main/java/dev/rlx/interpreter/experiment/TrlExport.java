package dev.rlx.interpreter.experiment;

import dev.rlx.engine.rl.PromptSource;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.model.ModelReward;
import dev.rlx.interpreter.model.ModelValue;
import dev.rlx.interpreter.runtime.RlxReward;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An evaluated `train` experiment as a TRL GRPOTrainer project's settings: every key that maps, with the `.rlx`
 * key it came from, or the full list of what does not map (each with its location), in which case nothing is
 * written. The rewards are not translated: the project calls `rlx serve-rewards` for them.
 */
public final class TrlExport {
    /** One config.yaml entry: its key (dotted for sections: `rlx.eval_every`), value and source. */
    public record Setting(String key, Object value, String from) {}

    /** The mapped project: settings in config order, and what the files need. */
    public record Plan(List<Setting> settings, ModelValue policy, PromptSource train, PromptSource eval,
                       List<String> termNames, List<Double> weights, String metric, long completionsPerStep,
                       int steps, long batch, long seed) {}

    private TrlExport() {}

    /** The plan of {@code experiment}, or an RlxError listing every part that TRL cannot run. */
    public static Plan plan(RlxSession session, RlxSession.Script script, String experiment) {
        if (ExperimentRunner.isPreference(session, script, experiment)) {
            throw new RlxError("error: '" + experiment + "' is an offline preference experiment; `rlx export --to trl` "
                    + "exports online RL (`train { ... }`) experiments to TRL's GRPOTrainer", null);
        }
        TrainRecord train = TrainRecord.open(ExperimentRunner.experimentRecord(session, script, experiment,
                TrainSchema.TAG), session);
        TrlMapping m = new TrlMapping(train);
        for (String key : List.of("critic", "prm", "dynamic_sampling", "prune", "state")) {
            if (train.has(key)) {
                m.refuse(key, switch (key) {
                    case "critic" -> "a critic (value head): TRL's GRPOTrainer has none (its PPO trainer is not an export target)";
                    case "prm" -> "an online process reward model (PRIME): TRL has no PRM";
                    case "dynamic_sampling" -> "dynamic sampling (dropping or refilling groups): TRL's GRPOTrainer trains on every group it samples";
                    case "prune" -> "completion pruning (CPPO): TRL has none";
                    default -> "state carried across steps: TRL's advantages keep none";
                });
            }
        }
        TrainRecord select = train.nested("select");
        if (select != null && (!select.string("rule").equals("order") || select.number("replay") > 0)) {
            // {rule: "order"} without replay draws exactly as no select does; anything else changes which prompts train
            m.refuse("select", "prompt selection (learnability, curriculum or replay) picks prompts from the run's "
                    + "own results; the export writes the prompts in rlx's seeded order and TRL has no selection");
        }
        TrainRecord rollout = train.nested("rollout");
        long group = rollout.integer("group");
        if (!rollout.strings("stop").isEmpty()) {
            m.refuse(rollout.where("stop"), "train.rollout.stop: stop strings (TRL stops at EOS only)");
        }
        if (!rollout.string("baseline").equals("none")) {
            m.refuse(rollout.where("baseline"), "train.rollout.baseline: a greedy baseline rollout (ReMax): TRL has none");
        }
        RlxReward rewards = train.reward("rewards");
        for (RlxReward.Term t : rewards.terms()) {
            if (t.batched() instanceof ModelReward mr && mr.tokens()) {
                m.refuse(train.where("rewards"), "train.rewards: " + mr.describe() + " gives dense token rewards; "
                        + "TRL's rewards are one number per completion");
            }
        }
        m.credit(train.function("credit"), group);
        m.loss(train.function("loss"));
        ModelValue policy = train.get("policy", ModelValue.class);
        if (policy.tokenizer() == null) {
            m.refuse(train.where("policy"), "train.policy: has no tokenizer");
        }
        if (!m.refusals.isEmpty()) {
            var decl = script.ast().decls().stream().filter(d -> d.name().equals(experiment)).findFirst();
            StringBuilder sb = new StringBuilder("error: experiment '" + experiment + "'"
                    + decl.map(d -> " (" + d.nameSpan().where() + ")").orElse("") + " cannot be exported to TRL as "
                    + "written; " + m.refusals.size() + " part" + (m.refusals.size() == 1 ? "" : "s") + " would not mean "
                    + "the same there:");
            m.refusals.forEach(r -> sb.append("\n  ").append(r.where()).append(": ").append(r.what()));
            sb.append("\n  hint: nothing was written; export an experiment whose credit is std/credit grpo or rloo and "
                    + "whose loss is ppo_clip, gspo, cispo or sapo (+ beta * kl k3)");
            throw new RlxError(sb.toString(), null);
        }
        return plan(train, m, rollout, group, policy, rewards);
    }

    private static Plan plan(TrainRecord train, TrlMapping m, TrainRecord rollout, long group, ModelValue policy,
                             RlxReward rewards) {
        List<Setting> s = new ArrayList<>();
        String r = "train.rollout";
        s.add(new Setting("num_generations", group, r + ".group"));
        s.add(new Setting("temperature", rollout.number("temperature"), r + ".temperature"));
        s.add(new Setting("top_p", rollout.number("top_p"), r + ".top_p"));
        s.add(new Setting("top_k", rollout.integer("top_k"), r + ".top_k"));
        s.add(new Setting("max_completion_length", rollout.integer("max_tokens"), r + ".max_tokens"));
        long batch = train.integer("batch");
        long completions = batch * group;
        long minibatch = train.has("minibatch") ? train.integer("minibatch") : completions;
        if (completions % minibatch != 0) {
            throw train.error("minibatch", "(" + minibatch + ") must divide the step's " + completions
                    + " completions for TRL's steps_per_generation");
        }
        long epochs = train.integer("epochs");
        s.add(new Setting("num_iterations", epochs, "train.epochs"));
        s.add(new Setting("steps_per_generation", completions / minibatch,
                "train.batch * group / train.minibatch (optimizer steps per generation batch and epoch)"));
        int steps = (int) train.integer("steps");
        s.add(new Setting("max_steps", steps * epochs * (completions / minibatch),
                "train.steps * epochs * steps_per_generation (TRL counts optimizer steps)"));
        TrainRecord opt = train.nested("optimizer");
        RlPlan.Optimizer o = ExperimentRunner.optimizer(opt);
        s.add(new Setting("learning_rate", o.lr(), "train.optimizer.lr"));
        s.add(new Setting("adam_beta1", o.beta1(), "train.optimizer.betas[0]"));
        s.add(new Setting("adam_beta2", o.beta2(), "train.optimizer.betas[1]"));
        s.add(new Setting("adam_epsilon", o.eps(), "rlx's AdamW eps (adamw() has no eps parameter)"));
        s.add(new Setting("weight_decay", o.weightDecay(), "train.optimizer.weight_decay"));
        s.add(new Setting("max_grad_norm", o.clipGrad(), "train.optimizer.clip_grad (0 = off)"));
        for (TrlMapping.Setting x : m.settings) {
            s.add(new Setting(x.key(), x.value(), x.from()));
        }
        s.add(new Setting("seed", train.integer("seed"), "train.seed"));
        s.add(new Setting("save_steps", train.integer("checkpoint_every") * epochs * (completions / minibatch),
                "train.checkpoint_every (in optimizer steps)"));
        s.add(new Setting("save_total_limit", train.integer("keep_checkpoints"), "train.keep_checkpoints"));
        // rlx-side settings train.py applies itself (prefixed rlx.)
        s.add(new Setting("rlx.completions_per_step", completions, "train.batch * rollout.group"));
        s.add(new Setting("rlx.steps", (long) steps, "train.steps (RL steps: the lr schedule counts these)"));
        s.add(new Setting("rlx.lr_schedule", opt.string("schedule"), "train.optimizer.schedule"));
        s.add(new Setting("rlx.warmup", opt.integer("warmup"), "train.optimizer.warmup (RL steps)"));
        s.add(new Setting("rlx.min_lr_ratio", opt.number("min_lr_ratio"), "train.optimizer.min_lr_ratio"));
        s.add(new Setting("rlx.reward_timeout", train.number("reward_timeout"), "train.reward_timeout (enforced by rlx serve-rewards)"));
        s.add(new Setting("rlx.on_reward_error", train.string("on_reward_error"), "train.on_reward_error (applied by rlx serve-rewards)"));
        Tokenizer tok = policy.tokenizer().tokenizer();
        DatasetValue data = train.get("data", DatasetValue.class);
        PromptSource trainPrompts = ExperimentRunner.prompts(data.dataset(), tok, train, "data");
        TrainRecord eval = train.nested("eval");
        PromptSource evalPrompts = null;
        String metric = null;
        if (eval != null) {
            evalPrompts = ExperimentRunner.prompts(eval.get("data", DatasetValue.class).dataset(), tok, eval, "data");
            s.add(new Setting("rlx.eval_every", eval.integer("every"), "train.eval.every (RL steps)"));
            s.add(new Setting("rlx.eval_greedy", eval.bool("greedy"), "train.eval.greedy"));
            s.add(new Setting("rlx.eval_limit", eval.has("limit") ? eval.integer("limit") : 0L, "train.eval.limit (0 = all)"));
            metric = eval.reward("metric").terms().get(0).name();
        }
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<Double> weights = new ArrayList<>();
        for (RlxReward.Term t : rewards.terms()) {
            int n = seen.merge(t.name(), 1, Integer::sum);
            names.add(n == 1 ? t.name() : t.name() + "_" + n); // as ScriptRewards names them
            weights.add(t.weight() * m.rewardScale);
        }
        s.add(new Setting("reward_weights", weights, "train.rewards (the terms' weights" + (m.rewardScale == 1.0 ? ")"
                : ", times n/(n-1) for RLOO)")));
        return new Plan(s, policy, trainPrompts, evalPrompts, names, weights, metric, completions, steps, batch,
                train.integer("seed"));
    }
}
