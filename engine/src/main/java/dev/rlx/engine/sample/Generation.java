package dev.rlx.engine.sample;

/**
 * The result of one batched generation. Rows are the prompts in order; response arrays are right-padded to
 * the longest response T with the pad id (tokens) and 0 (log-probs, mask).
 *
 * @param prompts the prompt ids as given (unpadded)
 * @param tokens [B][T] generated ids
 * @param logprobs [B][T] log-probability of each sampled token under softmax(logits / temperature) (temperature 1
 *     when greedy), before top-k/top-p filtering: the same quantity a teacher-forced scoring pass computes
 * @param mask [B][T] 1 on generated tokens (the stop token included), 0 on padding
 * @param lengths [B] number of generated tokens
 * @param texts [B] decoded responses (cut before a stop string), or null without a tokenizer
 * @param finishReasons [B] "stop" (stop token or string) or "length" (max_tokens reached)
 */
public record Generation(int[][] prompts, int[][] tokens, float[][] logprobs, byte[][] mask, int[] lengths,
                         String[] texts, String[] finishReasons) {
    public int batchSize() {
        return tokens.length;
    }

    /** Generated ids of row {@code i} without padding. */
    public int[] response(int i) {
        return java.util.Arrays.copyOf(tokens[i], lengths[i]);
    }
}
