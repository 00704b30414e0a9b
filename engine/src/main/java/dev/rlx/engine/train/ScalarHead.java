package dev.rlx.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.tensor.HostArrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A linear head D -> 1 on top of a backbone's final hidden states: the value head of a critic ([B,T], one
 * value per response position) or the score head of a reward model ([B], read at the last real token).
 * Parameters are named {@code score.weight}/{@code score.bias} as in HF's *ForSequenceClassification.
 */
public final class ScalarHead implements AutoCloseable {
    private final CausalLM backbone;
    private final NDManager manager;
    private final NDArray weight;
    private final NDArray bias;

    public ScalarHead(CausalLM backbone, long seed) {
        this.backbone = backbone;
        this.manager = backbone.manager().newSubManager();
        int d = backbone.config().hiddenSize();
        float[] w = new float[d];
        SplittableRandom rng = new SplittableRandom(seed);
        double std = 1.0 / Math.sqrt(d + 1.0);
        for (int i = 0; i < d; i++) {
            w[i] = (float) ((rng.nextDouble() * 2 - 1) * std);
        }
        this.weight = HostArrays.of(manager, w, new Shape(1, d)).toType(backbone.dataType(), false);
        this.bias = manager.zeros(new Shape(1), backbone.dataType());
    }

    public CausalLM backbone() {
        return backbone;
    }

    /** Head parameters only; the backbone's are in {@code backbone().parameters()}. */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> m = new LinkedHashMap<>();
        m.put("score.weight", weight);
        m.put("score.bias", bias);
        return m;
    }

    public void setTrainable(boolean on) {
        weight.setRequiresGradient(on);
        bias.setRequiresGradient(on);
        backbone.setTrainable(on);
    }

    /** Values [B,T] of the response positions (0 on padding). */
    public NDArray values(ScoreBatch batch) {
        NDArray h = Scorer.responseHidden(backbone, batch);
        return Linear.linear(h, weight, bias).singletonOrThrow().squeeze(-1).mul(batch.mask());
    }

    /** Scores [B]: the head at each sequence's last real token (the end of its response). */
    public NDArray scores(ScoreBatch batch) {
        NDArray h = Scorer.lastTokenHidden(backbone, batch);
        return Linear.linear(h, weight, bias).singletonOrThrow().squeeze(-1);
    }

    @Override
    public void close() {
        manager.close();
    }
}
