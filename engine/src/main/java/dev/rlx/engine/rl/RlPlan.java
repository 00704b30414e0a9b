package dev.rlx.engine.rl;

import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.engine.train.LrSchedule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one RL run needs, with every default visible in {@link Builder}. The plan never changes during
 * a run; the trainer trains a copy of {@code policy} (the given model stays as it is and, when a reference is
 * wanted, is its frozen source).
 *
 * @param steps RL steps (each: rollout, rewards, credit, update)
 * @param batch prompts per step (B = batch x rollout.group completions)
 * @param epochs passes over each step's batch (PPO epochs)
 * @param minibatch rows per optimizer step; 0 = the whole batch (one optimizer step per epoch)
 * @param reference whether a frozen copy of the initial policy scores {@code ref_logp}
 * @param critic a value model, or null (then {@code values} is null)
 * @param dynamicSampling drop zero-spread groups and refill, or null
 * @param selection how the next prompts are chosen from what the run has seen, or null: the seeded order
 * @param pruneKeep CPPO: train on only this many completions per group, those with the largest |advantage|
 *     (0: all)
 * @param sharedPrompts the step's forwards over prompt + completion (update, old_logp, reference, critic) run each
 *     distinct prompt once and let its group's completions attend to its keys and values (see
 *     {@link dev.rlx.engine.train.ScoreBatch.SharedPrompts}): the same math in another summation order, so not the
 *     unshared run's last bits
 * @param eval periodic greedy evaluation, or null
 * @param correctness what counts as correct for {@code accuracy} on training samples (null: not logged);
 *     eval has its own
 * @param checkpointEvery steps between checkpoints (0: only at the end and on cancel)
 * @param keepLast checkpoints kept (older ones deleted)
 * @param samplesPerStep completions written to samples.jsonl per step
 * @param runDir the run folder (created if missing); the caller writes recipe.lock.rlx and overrides.txt
 * @param prm an online implicit process reward model (PRIME), or null
 * @param initialState the state carried across steps before the first step (null: the run carries none). A
 *     JSON-like tree: {@code Map<String, Object>} of Long, Double, String, Boolean, null, List and nested Map;
 *     the credit function sees it as {@code b.state} and returns the next one (see {@link CarriedState})
 */
public record RlPlan(CausalLM policy, Tokenizer tokenizer, PromptSource data, Rollout rollout, RewardEvaluator rewards,
                     CreditFunction credit, LossFunction loss, Optimizer optimizer, int steps, int batch, int epochs,
                     int minibatch, boolean reference, Critic critic, Prm prm, DynamicSampling dynamicSampling,
                     Selection selection, int pruneKeep, boolean sharedPrompts, Eval eval, Correctness correctness, int checkpointEvery, int keepLast, int samplesPerStep,
                     long seed, Path runDir, Map<String, Object> initialState) {

    public RlPlan {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(rewards, "rewards");
        Objects.requireNonNull(credit, "credit");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(runDir, "runDir");
        if (data.size() == 0) throw new IllegalArgumentException("data: no prompts");
        if (initialState != null) CarriedState.check(initialState);
        if (dynamicSampling != null && dynamicSampling.filtersAccuracy() && correctness == null) {
            throw new IllegalArgumentException("dynamic sampling: an accuracy window needs a correctness (the eval metric)");
        }
        if (selection != null && selection.needsAccuracy() && correctness == null) {
            throw new IllegalArgumentException("prompt selection: success estimates need a correctness (the eval metric)");
        }
        if (prm != null && !reference) {
            throw new IllegalArgumentException("prm: the process rewards beta * (prm_logp - ref_logp) need the reference");
        }
        if (pruneKeep < 0 || rollout != null && pruneKeep >= rollout.group()) {
            throw new IllegalArgumentException("prune keep must be between 1 and the group size - 1 (0: off), got "
                    + pruneKeep);
        }
        if (steps < 1 || batch < 1 || epochs < 1 || minibatch < 0 || keepLast < 1 || checkpointEvery < 0 || samplesPerStep < 0) {
            throw new IllegalArgumentException("steps, batch, epochs and keep_last must be >= 1; minibatch, checkpoint_every, samples >= 0");
        }
    }

    /** Extra rollouts a step makes for the credit function's baseline. */
    public enum Baseline {
        /** none */
        NONE,
        /** one greedy completion per prompt, scored by the same rewards: {@code b.baseline_scores} (ReMax) */
        GREEDY
    }

    /**
     * Sampling of training completions. Defaults: group 8, temperature 1, top_p 1, top_k 0 (off), 16 new tokens,
     * no stop strings, stop at EOS, no baseline rollouts.
     */
    public record Rollout(int group, double temperature, double topP, int topK, int maxTokens, List<String> stop,
                          Baseline baseline) {
        public Rollout {
            stop = List.copyOf(stop);
            Objects.requireNonNull(baseline, "baseline");
            if (group < 1) throw new IllegalArgumentException("group must be >= 1");
        }

        public Rollout(int group, double temperature, double topP, int topK, int maxTokens, List<String> stop) {
            this(group, temperature, topP, topK, maxTokens, stop, Baseline.NONE);
        }

        public static Rollout defaults() {
            return new Rollout(8, 1.0, 1.0, 0, 16, List.of(), Baseline.NONE);
        }
    }

    public enum Schedule { CONSTANT, LINEAR, COSINE }

    /**
     * AdamW and its learning-rate schedule. Defaults (those of the .rlx {@code adamw()}): lr 1e-6, betas 0.9/0.999, eps 1e-8, weight decay 0,
     * clip_grad 1.0, constant, no warmup, min_lr_ratio 0. The schedule is indexed by RL step (all optimizer
     * steps of one RL step share its lr): warmup rises linearly over {@code warmup} steps; LINEAR then
     * decays linearly and COSINE by a half cosine to {@code lr * minLrRatio} at the last step.
     */
    public record Optimizer(double lr, double beta1, double beta2, double eps, double weightDecay, double clipGrad,
                            Schedule schedule, int warmup, double minLrRatio) {
        public static Optimizer defaults() {
            return new Optimizer(1e-6, 0.9, 0.999, 1e-8, 0.0, 1.0, Schedule.CONSTANT, 0, 0.0);
        }

        public Optimizer withLr(double v) {
            return new Optimizer(v, beta1, beta2, eps, weightDecay, clipGrad, schedule, warmup, minLrRatio);
        }

        public LrSchedule lrSchedule(int totalSteps) {
            return switch (schedule) {
                case CONSTANT -> LrSchedule.constant(lr, warmup);
                case COSINE -> LrSchedule.warmupCosine(lr, warmup, totalSteps, minLrRatio);
                case LINEAR -> step -> {
                    if (step < warmup) return lr * (step + 1) / warmup;
                    double progress = Math.min(1.0, (step - warmup) / (double) Math.max(1, totalSteps - warmup));
                    return lr * (1 - progress * (1 - minLrRatio));
                };
            };
        }
    }

    /**
     * A critic: a value head on its own copy of the policy backbone (initialized from the policy), trained with
     * its own optimizer on {@code valueLoss} (which sees {@code values} with gradients and {@code old_values}
     * without; std/loss's {@code value} is PPO's clipped value loss).
     */
    public record Critic(Optimizer optimizer, LossFunction valueLoss) {
        public Critic {
            Objects.requireNonNull(optimizer, "optimizer");
            Objects.requireNonNull(valueLoss, "valueLoss");
        }
    }

    /**
     * PRIME's online implicit process reward model (shared/REFERENCE.md, "Process rewards"): a causal LM
     * ({@code model}, or a copy of the policy when null) whose token log-ratio to the reference, times
     * {@code beta}, is each token's process reward. Every step it is first updated on the step's rollouts with
     * {@code loss} (which sees {@code prm_logp} with gradients, {@code ref_logp}, {@code outcomes} = the reward
     * term {@code outcomeTerm}, and {@code mask}), then scores them: {@code process_rewards} =
     * {@code beta * (prm_logp - ref_logp)} on the mask, no gradient.
     */
    public record Prm(CausalLM model, double beta, Optimizer optimizer, String outcomeTerm, LossFunction loss) {
        public Prm {
            Objects.requireNonNull(optimizer, "optimizer");
            Objects.requireNonNull(outcomeTerm, "outcomeTerm");
            Objects.requireNonNull(loss, "loss");
        }
    }

    /**
     * Dynamic sampling: a group is kept when its scores are not all equal (DAPO) and, when given, its accuracy
     * (the share of its completions that {@link RlPlan#correctness} accepts) lies in [minAccuracy, maxAccuracy]
     * (PRIME's filter); dropped groups are replaced by new prompts, at most {@code maxRetries} extra rollouts a
     * step. Null bounds are off; bounds need a correctness.
     */
    public record DynamicSampling(int maxRetries, Double minAccuracy, Double maxAccuracy) {
        public DynamicSampling {
            if (maxRetries < 0) throw new IllegalArgumentException("max_retries must be >= 0");
            if (minAccuracy != null && maxAccuracy != null && minAccuracy > maxAccuracy) {
                throw new IllegalArgumentException("min_accuracy " + minAccuracy + " > max_accuracy " + maxAccuracy);
            }
        }

        public DynamicSampling(int maxRetries) {
            this(maxRetries, null, null);
        }

        boolean filtersAccuracy() {
            return minAccuracy != null || maxAccuracy != null;
        }
    }

    /** The rule that picks each prompt a step draws (besides replay): see {@link Selection}. */
    public enum SelectionRule { ORDER, LEARNABILITY, CURRICULUM }

    /**
     * Prompt selection (see {@link PromptSelector}). Each draw is first a replay of a failed prompt with
     * probability {@code replay} (when the buffer holds one), else the rule's: ORDER takes the seeded order;
     * LEARNABILITY takes the seeded order with probability {@code explore} (or when no seen prompt has weight),
     * else a seen prompt with probability proportional to p(1-p), p its running success estimate (updated
     * {@code p += ema * (acc - p)} from each rollout group's accuracy; the first group sets it); CURRICULUM takes
     * a uniform draw among the easiest share of the data by {@code difficulty} (one number per row, low = easy;
     * ties by row index), the share rising linearly from {@code start} at step 1 to 1 at step {@code 1 + ramp}. A prompt
     * whose group accuracy is below {@code failBelow} enters the replay buffer (at most {@code capacity}, the
     * oldest dropped first); a replayed prompt leaves it and comes back only by failing again.
     */
    public record Selection(SelectionRule rule, double explore, double ema, double[] difficulty, double start, int ramp,
                            double replay, double failBelow, int capacity) {
        public Selection {
            Objects.requireNonNull(rule, "rule");
            if (!(explore >= 0 && explore <= 1)) throw new IllegalArgumentException("explore must lie in [0, 1]");
            if (!(ema > 0 && ema <= 1)) throw new IllegalArgumentException("ema must lie in (0, 1]");
            if (!(start > 0 && start <= 1)) throw new IllegalArgumentException("start must lie in (0, 1]");
            if (ramp < 1) throw new IllegalArgumentException("ramp must be >= 1");
            if (!(replay >= 0 && replay < 1)) throw new IllegalArgumentException("replay must lie in [0, 1)");
            if (!(failBelow > 0 && failBelow <= 1)) throw new IllegalArgumentException("fail_below must lie in (0, 1]");
            if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1");
            if (rule == SelectionRule.CURRICULUM && difficulty == null) {
                throw new IllegalArgumentException("a curriculum needs each row's difficulty");
            }
        }

        /** Whether draws depend on per-prompt success (learnability weights, the replay buffer). */
        boolean needsAccuracy() {
            return rule == SelectionRule.LEARNABILITY || replay > 0;
        }
    }

    /**
     * Greedy (or sampled at the rollout temperature) evaluation on {@code data} (at most {@code limit}
     * prompts, 0 = all), before training, every {@code every} steps and after the last; accuracy = the mean of
     * {@code correct} over the prompts, logged as {@code eval_accuracy}.
     */
    public record Eval(PromptSource data, int every, boolean greedy, int limit, Correctness correct) {}

    public static Builder builder() {
        return new Builder();
    }

    /** Required: policy, tokenizer, data, rewards, credit, loss, runDir. Everything else has the default shown. */
    public static final class Builder {
        private CausalLM policy;
        private Tokenizer tokenizer;
        private PromptSource data;
        private Rollout rollout = Rollout.defaults();
        private RewardEvaluator rewards;
        private CreditFunction credit;
        private LossFunction loss;
        private Optimizer optimizer = Optimizer.defaults();
        private int steps = 100;
        private int batch = 16;
        private int epochs = 1;
        private int minibatch = 0;
        private boolean reference = false;
        private Critic critic = null;
        private Prm prm = null;
        private DynamicSampling dynamicSampling = null;
        private Selection selection = null;
        private int pruneKeep = 0;
        private boolean sharedPrompts = false;
        private Eval eval = null;
        private Correctness correctness = null;
        private int checkpointEvery = 50;
        private int keepLast = 2;
        private int samplesPerStep = 4;
        private long seed = 0;
        private Path runDir;
        private Map<String, Object> initialState = null;

        public Builder policy(CausalLM v) { policy = v; return this; }
        public Builder tokenizer(Tokenizer v) { tokenizer = v; return this; }
        public Builder data(PromptSource v) { data = v; return this; }
        public Builder rollout(Rollout v) { rollout = v; return this; }
        public Builder rewards(RewardEvaluator v) { rewards = v; return this; }
        public Builder credit(CreditFunction v) { credit = v; return this; }
        public Builder loss(LossFunction v) { loss = v; return this; }
        public Builder optimizer(Optimizer v) { optimizer = v; return this; }
        public Builder steps(int v) { steps = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder minibatch(int v) { minibatch = v; return this; }
        public Builder reference(boolean v) { reference = v; return this; }
        public Builder critic(Critic v) { critic = v; return this; }
        public Builder prm(Prm v) { prm = v; return this; }
        public Builder dynamicSampling(DynamicSampling v) { dynamicSampling = v; return this; }
        public Builder selection(Selection v) { selection = v; return this; }
        public Builder pruneKeep(int v) { pruneKeep = v; return this; }
        public Builder sharedPrompts(boolean v) { sharedPrompts = v; return this; }
        public Builder eval(Eval v) { eval = v; return this; }
        public Builder correctness(Correctness v) { correctness = v; return this; }
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
        public Builder keepLast(int v) { keepLast = v; return this; }
        public Builder samplesPerStep(int v) { samplesPerStep = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder runDir(Path v) { runDir = v; return this; }
        public Builder initialState(Map<String, Object> v) { initialState = v; return this; }

        public RlPlan build() {
            return new RlPlan(policy, tokenizer, data, rollout, rewards, credit, loss, optimizer, steps, batch, epochs,
                    minibatch, reference, critic, prm, dynamicSampling, selection, pruneKeep, sharedPrompts, eval, correctness, checkpointEvery, keepLast,
                    samplesPerStep, seed, runDir, initialState);
        }
    }
}
