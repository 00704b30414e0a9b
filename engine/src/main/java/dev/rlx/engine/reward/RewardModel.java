package dev.rlx.engine.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import dev.rlx.engine.tensor.HostArrays;
import dev.rlx.engine.train.ScoreBatch;
import dev.rlx.engine.train.Scorer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An outcome reward model in the shape of Hugging Face's {@code *ForSequenceClassification} with one label
 * (shared/REFERENCE.md, "Reward models"): a causal backbone's final hidden states -> {@code score}, a bias-free
 * linear layer [1, D]. A sequence's score is the head's output at its last real token; because the backbone is
 * causal, one forward also gives the score of every prefix.
 *
 * <p>The backbone is a {@link CausalLM} whose LM head (if it has its own) is carried but never used or saved.
 * A new head is initialized normal with std {@code 1 / sqrt(D + 1)}, as TRL's reward modelling does.
 */
public final class RewardModel implements AutoCloseable {
    public static final String SCORE_WEIGHT = "score.weight";
    private static final String LM_HEAD = "lm_head.weight";
    /**
     * Tokens (rows x padded length) per no-gradient forward: a whole RL step's completions fit in one forward at
     * the sizes rlx trains, while a large batch of long sequences is still split to bound activation memory.
     */
    private static final int FORWARD_TOKENS = 16384;

    private final CausalLM backbone;
    private final NDManager headManager;
    private final NDArray weight;

    private RewardModel(CausalLM backbone, NDArray weight) {
        this.backbone = backbone;
        this.headManager = backbone.manager().newSubManager();
        this.weight = weight;
        weight.attach(headManager);
    }

    /** A reward model on a copy of {@code source}'s weights with a new score head drawn from {@code seed}. */
    public static RewardModel create(CausalLM source, long seed) {
        CausalLM backbone = source.copy();
        int d = backbone.config().hiddenSize();
        float[] w = new float[d];
        SplittableRandom rng = new SplittableRandom(seed);
        double std = 1.0 / Math.sqrt(d + 1.0);
        for (int i = 0; i < d; i++) {
            double u1 = 1.0 - rng.nextDouble(); // Box-Muller: stable across JDKs, unlike nextGaussian
            double u2 = rng.nextDouble();
            w[i] = (float) (Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2) * std);
        }
        NDArray weight = HostArrays.of(backbone.manager(), w, new Shape(1, d)).toType(backbone.dataType(), false);
        return new RewardModel(backbone, weight);
    }

    /** Takes ownership of a loaded backbone and score weight [1, D] (e.g. from a model folder). */
    public static RewardModel wrap(CausalLM backbone, NDArray scoreWeight) {
        long[] s = scoreWeight.getShape().getShape();
        if (s.length != 2 || s[0] != 1 || s[1] != backbone.config().hiddenSize()) {
            throw new IllegalArgumentException("score.weight has shape " + scoreWeight.getShape() + ", expected (1, "
                    + backbone.config().hiddenSize() + ")");
        }
        return new RewardModel(backbone, scoreWeight.toType(backbone.dataType(), false));
    }

    public CausalLM backbone() {
        return backbone;
    }

    public ModelConfig config() {
        return backbone.config();
    }

    /** The score head's weight [1, D]. */
    public NDArray scoreWeight() {
        return weight;
    }

    /** A deep copy (its own storage, gradients off). */
    public RewardModel copy() {
        CausalLM b = backbone.copy();
        NDArray w;
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            w = weight.duplicate();
        } finally {
            JniUtils.setGradMode(grad);
        }
        return new RewardModel(b, w);
    }

    /**
     * Every parameter of the reward model: the backbone's under their names, and {@code score.weight}. An LM head
     * the backbone carries is not one of them: the score never reads it, so it would get no gradient.
     */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> m = new LinkedHashMap<>(backbone.parameters());
        m.remove(LM_HEAD);
        m.put(SCORE_WEIGHT, weight);
        return m;
    }

    public void setTrainable(boolean on) {
        for (NDArray p : parameters().values()) {
            p.setRequiresGradient(on);
        }
    }

    /** Scores [B] (float32): the head at each row's last real token, prompt + response. */
    public NDArray scores(ScoreBatch batch) {
        NDArray h = Scorer.lastTokenHidden(backbone, batch);
        return float32(Linear.linear(h, weight, null).singletonOrThrow().squeeze(-1));
    }

    /**
     * Scores of every prefix, one forward: {@code prompt} [B] at the prompt's last token (prompts are
     * left-padded, so that is position Lp - 1 for every row) and {@code response} [B,T] after each response
     * token (0 on padding).
     */
    public record PrefixScores(NDArray prompt, NDArray response) {}

    public PrefixScores prefixScores(ScoreBatch batch) {
        NDArray hidden = backbone.hidden(batch.tokens(), batch.inputs(), null);
        int lp = batch.promptLength();
        NDArray s = float32(Linear.linear(hidden, weight, null).singletonOrThrow().squeeze(-1)); // [B, Lp+T]
        NDArray prompt = s.get(new NDIndex(":, {}", lp - 1));
        NDArray response = s.get(new NDIndex(":, {}:{}", lp, lp + batch.responseLength())).mul(batch.mask());
        return new PrefixScores(prompt, response);
    }

    /**
     * Scores of (prompt, response) id sequences without gradients: the score after each row's last token, each
     * distinct prompt of a forward encoded once ({@link SharedPromptScoring}); about {@value #FORWARD_TOKENS}
     * tokens a forward; the arrays live in a temporary manager, so nothing stays allocated.
     */
    public double[] scoreSequences(List<int[]> prompts, List<int[]> responses, int pad) {
        float[][] rows = prefixScores(prompts, responses, pad);
        double[] out = new double[rows.length];
        for (int i = 0; i < out.length; i++) out[i] = rows[i][rows[i].length - 1];
        return out;
    }

    /**
     * Prefix scores of (prompt, response) id sequences without gradients, about {@value #FORWARD_TOKENS} tokens a
     * forward: row i is {@code [S_prompt, S_0, ..., S_{n-1}]}, the score at the prompt's last token and after each
     * of its n response tokens.
     */
    public float[][] prefixScores(List<int[]> prompts, List<int[]> responses, int pad) {
        float[][] out = new float[prompts.size()][];
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = backbone.manager().newSubManager()) {
            int rows = rowsPerForward(prompts, responses);
            for (int from = 0; from < out.length; from += rows) {
                int to = Math.min(out.length, from + rows);
                try (NDManager chunk = m.newSubManager()) {
                    float[][] part = SharedPromptScoring.prefixRows(backbone, weight, chunk, prompts.subList(from, to),
                            responses.subList(from, to), pad);
                    System.arraycopy(part, 0, out, from, part.length);
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return out;
    }

    /**
     * RED token rewards (REFERENCE.md): r_0 = S_0 - S_prompt, r_t = S_t - S_{t-1}, for each row's response
     * tokens; they sum to S_final - S_prompt. Without gradients.
     */
    public float[][] tokenRewards(List<int[]> prompts, List<int[]> responses, int pad) {
        float[][] prefixes = prefixScores(prompts, responses, pad);
        float[][] out = new float[prefixes.length][];
        for (int i = 0; i < out.length; i++) {
            float[] s = prefixes[i];
            out[i] = new float[s.length - 1];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = s[j + 1] - s[j];
            }
        }
        return out;
    }

    private static int rowsPerForward(List<int[]> prompts, List<int[]> responses) {
        int longestPrompt = 1;
        int longestResponse = 1;
        for (int[] p : prompts) longestPrompt = Math.max(longestPrompt, p.length);
        for (int[] r : responses) longestResponse = Math.max(longestResponse, r.length);
        return Math.max(1, FORWARD_TOKENS / (longestPrompt + longestResponse));
    }

    private static NDArray float32(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
    }

    @Override
    public void close() {
        headManager.close();
        backbone.close();
    }
}
