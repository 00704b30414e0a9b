package dev.rlx.engine.data;

import java.util.List;

/**
 * Pointwise scored data, what QRPO trains on offline (Matrenok et al. 2025, arXiv 2507.08068): a {@link Row} whose
 * field {@link #COMPLETION} holds a completion (a string), {@link #SCORE} its score (its reward: a finite Double) and
 * {@link #REFERENCE_SCORES} the scores of K samples of the reference policy for the same prompt (a non-empty
 * List of finite Doubles), among which the score's quantile is taken (the empirical CDF). Every row of a dataset
 * of them has the same K ({@link Dataset#isScored()}), so that a batch holds them as a [B,K] tensor. The fields
 * are "score", not "reward": {@code reward} is a keyword of .rlx, so neither {@code s.reward} nor {@code b.reward}
 * would parse.
 */
public final class ScoredCompletions {
    public static final String COMPLETION = LabeledCompletions.COMPLETION;
    public static final String SCORE = "score";
    public static final String REFERENCE_SCORES = "reference_scores";

    private ScoredCompletions() {}

    public static boolean isScored(Row row) {
        return row.fields().get(COMPLETION) instanceof String
                && row.fields().get(SCORE) instanceof Double r && Double.isFinite(r)
                && row.fields().get(REFERENCE_SCORES) instanceof List<?> refs && !refs.isEmpty()
                && refs.stream().allMatch(x -> x instanceof Double d && Double.isFinite(d));
    }

    public static String completion(Row row) {
        return (String) row.fields().get(COMPLETION);
    }

    public static double score(Row row) {
        return (Double) row.fields().get(SCORE);
    }

    /** The K reference rewards of the row's prompt. */
    public static double[] referenceScores(Row row) {
        return ((List<?>) row.fields().get(REFERENCE_SCORES)).stream().mapToDouble(x -> (Double) x).toArray();
    }
}
