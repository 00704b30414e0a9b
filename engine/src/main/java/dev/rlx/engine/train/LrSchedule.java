package dev.rlx.engine.train;

/** Learning rate as a function of the 0-based step. */
@FunctionalInterface
public interface LrSchedule {
    double lr(int step);

    /** Linear warmup over {@code warmup} steps, then constant. */
    static LrSchedule constant(double base, int warmup) {
        return step -> step < warmup ? base * (step + 1) / warmup : base;
    }

    /** Linear warmup, then cosine decay from {@code base} to {@code base * minRatio} at {@code total} steps. */
    static LrSchedule warmupCosine(double base, int warmup, int total, double minRatio) {
        return step -> {
            if (step < warmup) {
                return base * (step + 1) / warmup;
            }
            double progress = Math.min(1.0, (step - warmup) / (double) Math.max(1, total - warmup));
            double min = base * minRatio;
            return min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * progress));
        };
    }

    /** Linear warmup, then a straight line from {@code base} to {@code base * minRatio} at {@code total} steps. */
    static LrSchedule warmupLinear(double base, int warmup, int total, double minRatio) {
        return step -> {
            if (step < warmup) {
                return base * (step + 1) / warmup;
            }
            double progress = Math.min(1.0, (step - warmup) / (double) Math.max(1, total - warmup));
            return base * (1 - progress * (1 - minRatio));
        };
    }
}
