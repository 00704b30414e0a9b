package dev.rlx.engine.model;

import java.util.Locale;

/**
 * The whole shape of a decoder-only model, nanoGPT style: every default is in {@link Builder}, the record is
 * saved in every checkpoint (as a Hugging Face {@code config.json}) and nothing else decides the architecture.
 *
 * @param arch "gpt2" (learned positions, LayerNorm, GELU MLP) or "llama"/"qwen2" (RoPE, RMSNorm, SwiGLU, GQA)
 * @param qkvBias bias on the q/k/v projections (always true for gpt2, true for Qwen2, false for Llama)
 * @param activation "gelu_new" (tanh approximation, HF gpt2), "gelu" (exact) or "silu" (llama/qwen2)
 */
public record ModelConfig(
        String arch,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int intermediateSize,
        int maxPositions,
        double normEps,
        double ropeTheta,
        boolean tieWordEmbeddings,
        boolean qkvBias,
        String activation,
        int bosTokenId,
        int eosTokenId,
        double initializerRange) {

    public ModelConfig {
        arch = arch.toLowerCase(Locale.ROOT);
        if (!isGpt2(arch) && !isLlamaFamily(arch)) {
            throw new IllegalArgumentException("unsupported architecture '" + arch + "': expected gpt2, llama or qwen2");
        }
        require(vocabSize > 0, "vocab_size must be positive");
        require(hiddenSize > 0 && numLayers > 0 && numHeads > 0, "dim, layers and heads must be positive");
        require(hiddenSize % numHeads == 0, "dim " + hiddenSize + " is not divisible by heads " + numHeads);
        require(numKvHeads > 0 && numHeads % numKvHeads == 0,
                "heads " + numHeads + " is not a multiple of kv_heads " + numKvHeads);
        require(isLlamaFamily(arch) || numKvHeads == numHeads, "gpt2 has no grouped-query attention");
        require((hiddenSize / numHeads) % 2 == 0 || isGpt2(arch), "rotary embeddings need an even head size");
        require(maxPositions > 0, "context must be positive");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static boolean isGpt2(String arch) {
        return arch.equals("gpt2");
    }

    static boolean isLlamaFamily(String arch) {
        return arch.equals("llama") || arch.equals("qwen2");
    }

    public boolean isGpt2() {
        return isGpt2(arch);
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    public ModelConfig withVocabSize(int v) {
        return new ModelConfig(arch, v, hiddenSize, numLayers, numHeads, numKvHeads, intermediateSize, maxPositions,
                normEps, ropeTheta, tieWordEmbeddings, qkvBias, activation, bosTokenId, eosTokenId, initializerRange);
    }

    public ModelConfig withTieWordEmbeddings(boolean tie) {
        return new ModelConfig(arch, vocabSize, hiddenSize, numLayers, numHeads, numKvHeads, intermediateSize,
                maxPositions, normEps, ropeTheta, tie, qkvBias, activation, bosTokenId, eosTokenId, initializerRange);
    }

    /** A GPT-2 shaped model: what {@code gpt(...)} in .rlx builds. */
    public static Builder gpt() {
        return new Builder("gpt2");
    }

    /** A Llama shaped model: what {@code llama(...)} in .rlx builds. */
    public static Builder llama() {
        return new Builder("llama");
    }

    /** A Qwen2 shaped model (Llama plus q/k/v bias). */
    public static Builder qwen2() {
        return new Builder("qwen2").qkvBias(true);
    }

    /** Every default in one place. {@code intermediateSize <= 0} means 4*dim for gpt2 and ~8/3*dim for llama. */
    public static final class Builder {
        private final String arch;
        private int vocabSize = 256;
        private int hiddenSize = 128;
        private int numLayers = 4;
        private int numHeads = 4;
        private int numKvHeads = 0; // 0: same as heads
        private int intermediateSize = 0; // 0: derived from dim
        private int maxPositions = 256;
        private double normEps = -1; // <0: 1e-5 for gpt2, 1e-6 for llama/qwen2
        private double ropeTheta = 10000.0;
        private Boolean tieWordEmbeddings = null; // null: true for gpt2, false for llama/qwen2
        private boolean qkvBias = false;
        private String activation = null; // null: "gelu" for gpt2 built here, "silu" for llama/qwen2
        private int bosTokenId = 0;
        private int eosTokenId = 0;
        private double initializerRange = 0.02;

        private Builder(String arch) {
            this.arch = arch;
        }

        public Builder vocabSize(int v) { this.vocabSize = v; return this; }
        public Builder dim(int v) { this.hiddenSize = v; return this; }
        public Builder layers(int v) { this.numLayers = v; return this; }
        public Builder heads(int v) { this.numHeads = v; return this; }
        public Builder kvHeads(int v) { this.numKvHeads = v; return this; }
        public Builder intermediateSize(int v) { this.intermediateSize = v; return this; }
        public Builder context(int v) { this.maxPositions = v; return this; }
        public Builder normEps(double v) { this.normEps = v; return this; }
        public Builder ropeTheta(double v) { this.ropeTheta = v; return this; }
        public Builder tieWordEmbeddings(boolean v) { this.tieWordEmbeddings = v; return this; }
        public Builder qkvBias(boolean v) { this.qkvBias = v; return this; }
        public Builder activation(String v) { this.activation = v; return this; }
        public Builder bosTokenId(int v) { this.bosTokenId = v; return this; }
        public Builder eosTokenId(int v) { this.eosTokenId = v; return this; }
        public Builder initializerRange(double v) { this.initializerRange = v; return this; }

        public ModelConfig build() {
            boolean gpt2 = isGpt2(arch);
            int kv = numKvHeads <= 0 ? numHeads : numKvHeads;
            int inter = intermediateSize > 0 ? intermediateSize
                    : gpt2 ? 4 * hiddenSize : roundUp(8 * hiddenSize / 3, 8);
            double eps = normEps >= 0 ? normEps : gpt2 ? 1e-5 : 1e-6;
            boolean tie = tieWordEmbeddings != null ? tieWordEmbeddings : gpt2;
            String act = activation != null ? activation : gpt2 ? "gelu" : "silu";
            return new ModelConfig(arch, vocabSize, hiddenSize, numLayers, numHeads, kv, inter, maxPositions, eps,
                    ropeTheta, tie, gpt2 || qkvBias, act, bosTokenId, eosTokenId, initializerRange);
        }

        private static int roundUp(int v, int m) {
            return (v + m - 1) / m * m;
        }
    }
}
