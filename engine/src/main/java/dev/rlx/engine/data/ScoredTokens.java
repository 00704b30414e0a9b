package dev.rlx.engine.data;

/**
 * One scored completion as token ids (QRPO's data): a prompt (BOS first), a completion (with EOS when the tokenizer
 * has one), its reward, and the rewards of K reference-policy samples of the same prompt.
 */
public record ScoredTokens(int[] prompt, int[] completion, double score, double[] referenceScores)
        implements PreferenceExample {}
