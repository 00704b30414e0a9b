package dev.rlx.engine.sample;

import java.util.List;
import java.util.Set;

/**
 * How to sample. Defaults (see {@link Builder}): 16 new tokens, temperature 1, no top-k (0), no top-p (1.0),
 * stop at the tokenizer's EOS, seed 0, KV cache on.
 *
 * @param stopTokens ids that end a completion (included in the response and its mask)
 * @param stopStrings texts that end a completion; the returned text is cut before the stop string
 * @param stopAtEos also stop at the tokenizer's EOS id
 */
public record SamplingParams(int maxTokens, double temperature, int topK, double topP, boolean greedy,
                             Set<Integer> stopTokens, List<String> stopStrings, boolean stopAtEos, long seed,
                             boolean useCache) {
    public SamplingParams {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be at least 1");
        }
        if (!greedy && !(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0 (use greedy for argmax decoding)");
        }
        if (topK < 0 || !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_k must be >= 0 and top_p in (0, 1]");
        }
        stopTokens = Set.copyOf(stopTokens);
        stopStrings = List.copyOf(stopStrings);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int maxTokens = 16;
        private double temperature = 1.0;
        private int topK = 0;
        private double topP = 1.0;
        private boolean greedy = false;
        private Set<Integer> stopTokens = Set.of();
        private List<String> stopStrings = List.of();
        private boolean stopAtEos = true;
        private long seed = 0;
        private boolean useCache = true;

        public Builder maxTokens(int v) { maxTokens = v; return this; }
        public Builder temperature(double v) { temperature = v; return this; }
        public Builder topK(int v) { topK = v; return this; }
        public Builder topP(double v) { topP = v; return this; }
        public Builder greedy(boolean v) { greedy = v; return this; }
        public Builder stopTokens(Set<Integer> v) { stopTokens = v; return this; }
        public Builder stopStrings(List<String> v) { stopStrings = v; return this; }
        public Builder stopAtEos(boolean v) { stopAtEos = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder useCache(boolean v) { useCache = v; return this; }

        public SamplingParams build() {
            return new SamplingParams(maxTokens, temperature, topK, topP, greedy, stopTokens, stopStrings, stopAtEos,
                    seed, useCache);
        }
    }
}
