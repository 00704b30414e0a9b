package dev.rlx.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.KvCache;
import dev.rlx.engine.model.Scalars;
import dev.rlx.engine.tensor.HostArrays;

/**
 * Teacher-forced scoring of responses: per-token log-probs [B,T] of the given response tokens, and per-token
 * entropy [B,T]. With {@code withGrad} the result is differentiable (call inside a GradientCollector); without,
 * no graph is built (old/reference log-probs). Padding positions hold 0.
 */
public final class Scorer {
    private Scorer() {}

    /** Log-probs and entropies of the response positions. */
    public record TokenStats(NDArray logprobs, NDArray entropy) {}

    public static NDArray logProbs(CausalLM model, ScoreBatch batch, double temperature, boolean withGrad) {
        return stats(model, batch, temperature, withGrad, false).logprobs();
    }

    public static TokenStats stats(CausalLM model, ScoreBatch batch, double temperature, boolean withGrad,
                                   boolean entropy) {
        boolean grad = JniUtils.isGradMode();
        if (!withGrad) {
            JniUtils.setGradMode(false);
        }
        try {
            NDArray h = responseHidden(model, batch);
            NDArray logits = model.logitsFromHidden(h);
            if (logits.getDataType() != DataType.FLOAT32) {
                logits = logits.toType(DataType.FLOAT32, false);
            }
            if (temperature != 1.0) {
                logits = Scalars.div(logits, temperature);
            }
            NDArray logp = logits.logSoftmax(-1);
            NDArray chosen = logp.gather(batch.responseTokens().expandDims(-1), -1).squeeze(-1).mul(batch.mask());
            NDArray ent = null;
            if (entropy) {
                ent = logp.exp().mul(logp).sum(new int[] {-1}).neg().mul(batch.mask());
            }
            return new TokenStats(chosen, ent);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * Final hidden states at each row's last real token [B,D] (prompt + response; prompts are left-padded, so
     * that is position Lp + len - 1): the input of a score head.
     */
    public static NDArray lastTokenHidden(CausalLM model, ScoreBatch batch) {
        NDArray hidden = model.hidden(batch.tokens(), batch.inputs(), null);
        int b = (int) hidden.getShape().get(0);
        long[] last = new long[b];
        for (int r = 0; r < b; r++) {
            last[r] = batch.promptLength() + batch.responseLengths()[r] - 1;
        }
        NDArray idx = HostArrays.of(batch.tokens().getManager(), last, new Shape(b, 1, 1))
                .broadcast(new Shape(b, 1, hidden.getShape().get(2)));
        return hidden.gather(idx, 1).squeeze(1);
    }

    /**
     * Final hidden states [B,T,D] at positions Lp-1 .. Lp+T-2, whose logits predict the response tokens (and the
     * input of a value head): one forward over the whole batch, or with {@link ScoreBatch.SharedPrompts} a
     * prompt pass per distinct prompt and a response pass that attends to its cached keys and values.
     */
    public static NDArray responseHidden(CausalLM model, ScoreBatch batch) {
        ScoreBatch.SharedPrompts s = batch.shared();
        if (s == null) {
            NDArray hidden = model.hidden(batch.tokens(), batch.inputs(), null);
            int lp = batch.promptLength();
            return hidden.get(new NDIndex(":, {}:{}, :", lp - 1, lp - 1 + batch.responseLength()));
        }
        // the cache's handles are closed here; autograd keeps what the backward pass needs alive
        try (KvCache cache = model.newCache(batch.tokens().getManager())) {
            NDArray prompts = model.hidden(s.promptTokens(), s.promptInputs(), cache);
            NDArray first = KvCache.rows(prompts.get(new NDIndex(":, -1:, :")), s.rowOf());
            if (s.responseTokens() == null) {
                return first;
            }
            cache.selectRows(s.rowOf());
            NDArray rest = model.hidden(s.responseTokens(), s.responseInputs(), cache);
            return first.concat(rest, 1);
        }
    }
}
