package dev.rlx.engine.data;

/**
 * One unpaired completion as token ids: a prompt (BOS first) and a completion (with EOS when the tokenizer has
 * one), flagged desirable or not (KTO's data).
 */
public record LabeledTokens(int[] prompt, int[] completion, boolean desirable) implements PreferenceExample {}
