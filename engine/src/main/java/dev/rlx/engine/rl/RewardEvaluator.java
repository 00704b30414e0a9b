package dev.rlx.engine.rl;

import java.util.List;

/**
 * Scores a step's completions. Called once per rollout batch (samples of one prompt are contiguous).
 * An exception stops the run (the interpreter decides whether a failing reward counts as zero instead).
 */
@FunctionalInterface
public interface RewardEvaluator {
    Rewards evaluate(List<Sample> samples);

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
     */
    record Rewards(List<String> names, double[] weights, double[][] values, float[][] dense) {
        public Rewards {
            names = List.copyOf(names);
            if (weights.length != names.size()) {
                throw new IllegalArgumentException("rewards: " + names.size() + " names but " + weights.length + " weights");
            }
            for (double[] row : values) {
                if (row.length != names.size()) {
                    throw new IllegalArgumentException("rewards: a row has " + row.length + " values for " + names.size() + " terms");
                }
            }
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
