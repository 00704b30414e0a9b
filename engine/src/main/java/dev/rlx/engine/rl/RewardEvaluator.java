package dev.rlx.engine.rl;

import java.util.List;
import java.util.Map;

/**
 * Scores a step's completions. Called once per rollout batch (samples of one prompt are contiguous).
 * An exception stops the run (the interpreter decides whether a failing reward counts as zero instead).
 */
@FunctionalInterface
public interface RewardEvaluator {
    Rewards evaluate(List<Sample> samples);

    /**
     * State the rewards keep across calls (a running normalizer of reward-model scores), as a
     * {@link CarriedState} tree for the checkpoint; null when they keep none.
     */
    default Map<String, Object> state() {
        return null;
    }

    /** Restores what {@link #state} returned, on resume. */
    default void restoreState(Map<String, Object> state) {}

    /**
     * Nanoseconds spent in reward-model forwards since the last call (and resets the count), or -1 when the
     * rewards have no model terms; logged as {@code time_ms_reward_model}, the part of {@code time_ms_reward}
     * that is the reward model's.
     */
    default long takeModelNanos() {
        return -1;
    }

    /**
     * Per-sample, per-term reward values and their weights: the score of sample b is
     * {@code sum_k weights[k] * values[b][k]}. Every term's mean is logged under its name.
     *
     * @param names K term names (unique; logged as {@code reward/<name>})
     * @param weights K weights
     * @param values [B][K] term values
     * @param dense optional per-token rewards [B][len_b] (null, or null rows), already weighted; they go into
     *     {@code rewards [B,T]} only, not into the score. To also log a dense term, add it to the terms with
     *     weight 0 (e.g. its per-sample sum).
     * @param errors optional [B] count of each sample's reward calls that failed and were scored 0 (null: none);
     *     the step's total is logged as {@code reward_errors}
     */
    record Rewards(List<String> names, double[] weights, double[][] values, float[][] dense, int[] errors) {
        public Rewards {
            names = List.copyOf(names);
            if (errors != null && errors.length != values.length) {
                throw new IllegalArgumentException("rewards: " + errors.length + " error counts for " + values.length + " rows");
            }
            if (weights.length != names.size()) {
                throw new IllegalArgumentException("rewards: " + names.size() + " names but " + weights.length + " weights");
            }
            for (double[] row : values) {
                if (row.length != names.size()) {
                    throw new IllegalArgumentException("rewards: a row has " + row.length + " values for " + names.size() + " terms");
                }
            }
        }

        public Rewards(List<String> names, double[] weights, double[][] values, float[][] dense) {
            this(names, weights, values, dense, null);
        }

        /** How many of sample b's reward calls failed and were scored 0. */
        public int errors(int b) {
            return errors == null ? 0 : errors[b];
        }

        public double score(int b) {
            double s = 0;
            for (int k = 0; k < weights.length; k++) {
                s += weights[k] * values[b][k];
            }
            return s;
        }

        /** One unweighted-1 term named {@code name}. */
        public static Rewards single(String name, double[] scores) {
            double[][] v = new double[scores.length][];
            for (int i = 0; i < v.length; i++) {
                v[i] = new double[] {scores[i]};
            }
            return new Rewards(List.of(name), new double[] {1.0}, v, null);
        }
    }
}
