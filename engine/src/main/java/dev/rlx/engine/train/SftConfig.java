package dev.rlx.engine.train;

/**
 * Supervised fine-tuning settings, every default here ({@link Builder}). Cross-entropy on response tokens
 * only; AdamW; global-norm clipping; linear warmup then cosine (to {@code minLrRatio * lr}) or constant.
 */
public record SftConfig(int steps, double lr, int batch, int warmupSteps, String schedule, double minLrRatio,
                        double weightDecay, double beta1, double beta2, double eps, double clipGrad, long seed) {
    public SftConfig {
        if (steps < 1 || batch < 1 || !(lr > 0)) {
            throw new IllegalArgumentException("sft needs steps >= 1, batch >= 1 and lr > 0");
        }
        if (!schedule.equals("cosine") && !schedule.equals("constant")) {
            throw new IllegalArgumentException("schedule must be \"cosine\" or \"constant\", not \"" + schedule + "\"");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public LrSchedule lrSchedule() {
        return schedule.equals("cosine") ? LrSchedule.warmupCosine(lr, warmupSteps, steps, minLrRatio)
                : LrSchedule.constant(lr, warmupSteps);
    }

    public static final class Builder {
        private int steps = 100;
        private double lr = 3e-4;
        private int batch = 16;
        private int warmupSteps = 0;
        private String schedule = "cosine";
        private double minLrRatio = 0.1;
        private double weightDecay = 0.01;
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

        public SftConfig build() {
            return new SftConfig(steps, lr, batch, warmupSteps, schedule, minLrRatio, weightDecay, beta1, beta2, eps,
                    clipGrad, seed);
        }
    }
}
