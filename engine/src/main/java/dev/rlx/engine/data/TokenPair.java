package dev.rlx.engine.data;

/**
 * One preference as token ids: a prompt (BOS first) with a better and a worse completion (each with EOS when the
 * tokenizer has one, as a sampled completion that stopped looks); margin 0 unless the data gives one.
 */
public record TokenPair(int[] prompt, int[] chosen, int[] rejected, double margin) implements PreferenceExample {
    public TokenPair(int[] prompt, int[] chosen, int[] rejected) {
        this(prompt, chosen, rejected, 0.0);
    }
}
