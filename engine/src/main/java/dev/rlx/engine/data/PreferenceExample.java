package dev.rlx.engine.data;

/**
 * One example of offline preference data as token ids, prompt first (BOS first): a pair ({@link TokenPair}) or
 * an unpaired completion flagged desirable or not ({@link LabeledTokens}), or a completion with its reward and
 * the reference policy's rewards for its prompt ({@link ScoredTokens}).
 */
public sealed interface PreferenceExample permits TokenPair, LabeledTokens, ScoredTokens {
    int[] prompt();
}
