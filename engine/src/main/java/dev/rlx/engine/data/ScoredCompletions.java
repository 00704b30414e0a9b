package dev.rlx.engine.data;

import java.util.List;

/**
 * Pointwise scored data, what QRPO trains on offline (Matrenok et al. 2025, arXiv 2507.08068): a {@link Row} whose
 * field {@link #COMPLETION} holds a completion (a string), {@link #REWARD} its reward (a finite Double) and
 * {@link #REFERENCE_REWARDS} the rewards of K samples of the reference policy for the same prompt (a non-empty
 * List of finite Doubles), among which the reward's quantile is taken (the empirical CDF). Every row of a dataset
 * of them has the same K ({@link Dataset#isScored()}), so that a batch holds them as a [B,K] tensor.
 */
public final class ScoredCompletions {
    public static final String COMPLETION = LabeledCompletions.COMPLETION;
    public static final String REWARD = "reward";
    public static final String REFERENCE_REWARDS = "reference_rewards";

    private ScoredCompletions() {}

    public static boolean isScored(Row row) {
        return row.fields().get(COMPLETION) instanceof String
                && row.fields().get(REWARD) instanceof Double r && Double.isFinite(r)
                && row.fields().get(REFERENCE_REWARDS) instanceof List<?> refs && !refs.isEmpty()
                && refs.stream().allMatch(x -> x instanceof Double d && Double.isFinite(d));
    }

    public static String completion(Row row) {
        return (String) row.fields().get(COMPLETION);
    }

    public static double reward(Row row) {
        return (Double) row.fields().get(REWARD);
    }

    /** The K reference rewards of the row's prompt. */
    public static double[] referenceRewards(Row row) {
        return ((List<?>) row.fields().get(REFERENCE_REWARDS)).stream().mapToDouble(x -> (Double) x).toArray();
    }
}
