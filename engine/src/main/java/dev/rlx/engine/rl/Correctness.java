package dev.rlx.engine.rl;

/** Whether a completion is correct (accuracy = the mean over samples); e.g. a reward term above 0.5. */
@FunctionalInterface
public interface Correctness {
    boolean correct(Sample sample);

    /** Correct when term {@code name} of {@code rewards} is at least {@code threshold}. */
    static Correctness ofTerm(RewardEvaluator rewards, String name, double threshold) {
        return s -> {
            RewardEvaluator.Rewards r = rewards.evaluate(java.util.List.of(s));
            int k = r.names().indexOf(name);
            if (k < 0) {
                throw new IllegalArgumentException("eval metric: no reward term named " + name + " (terms: " + r.names() + ")");
            }
            return r.values()[0][k] >= threshold;
        };
    }
}
