package dev.rlx.engine.reward;

import dev.rlx.engine.train.LrSchedule;
import java.util.List;

/**
 * Reward-model training settings, every default here ({@link Builder}): Bradley-Terry loss on pairs, AdamW,
 * global-norm clipping, linear warmup then "cosine" / "linear" (both to {@code minLrRatio * lr}) or
 * "constant". The defaults follow TRL's reward modelling: lr 1e-5 and no weight decay.
 */
public record RewardTrainingConfig(int steps, double lr, int batch, int warmupSteps, String schedule,
                                   double minLrRatio, double weightDecay, double beta1, double beta2, double eps,
                                   double clipGrad, long seed) {
    public static final List<String> SCHEDULES = List.of("cosine", "constant", "linear");

    public RewardTrainingConfig {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, not " + steps);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, not " + batch);
        }
        if (!(lr > 0)) {
            throw new IllegalArgumentException("lr must be > 0, not " + lr);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmup must be >= 0, not " + warmupSteps);
        }
        if (!(minLrRatio >= 0 && minLrRatio <= 1)) {
            throw new IllegalArgumentException("min_lr_ratio must be in [0, 1], not " + minLrRatio);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight_decay must be >= 0, not " + weightDecay);
        }
        if (!SCHEDULES.contains(schedule)) {
            throw new IllegalArgumentException("schedule must be \"cosine\", \"constant\" or \"linear\", not \""
                    + schedule + "\"");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public LrSchedule lrSchedule() {
        return switch (schedule) {
            case "cosine" -> LrSchedule.warmupCosine(lr, warmupSteps, steps, minLrRatio);
            case "linear" -> LrSchedule.warmupLinear(lr, warmupSteps, steps, minLrRatio);
            default -> LrSchedule.constant(lr, warmupSteps);
        };
    }

    public static final class Builder {
        private int steps = 100;
        private double lr = 1e-5;
        private int batch = 16;
        private int warmupSteps = 0;
        private String schedule = "cosine";
        private double minLrRatio = 0.1;
        private double weightDecay = 0.0;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double clipGrad = 1.0;
        private long seed = 0;

        public Builder steps(int v) { steps = v; return this; }
        public Builder lr(double v) { lr = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder warmupSteps(int v) { warmupSteps = v; return this; }
        public Builder schedule(String v) { schedule = v; return this; }
        public Builder minLrRatio(double v) { minLrRatio = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }
        public Builder eps(double v) { eps = v; return this; }
        public Builder clipGrad(double v) { clipGrad = v; return this; }
        public Builder seed(long v) { seed = v; return this; }

        public RewardTrainingConfig build() {
            return new RewardTrainingConfig(steps, lr, batch, warmupSteps, schedule, minLrRatio, weightDecay, beta1,
                    beta2, eps, clipGrad, seed);
        }
    }
}
