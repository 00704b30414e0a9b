package dev.rlx.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Causal multi-head attention over a fused qkv projection, with grouped-query attention and an optional KV
 * cache. GQA needs no repeat of k/v: the g query heads that share one kv head are folded into the query
 * length ([B, kv, g*T, hd]), so one batched matmul serves them all.
 */
final class Attention {
    private Attention() {}

    /** Rotary embedding applied to a [B, heads, T, hd] tensor: x*cos + rotate_half(x)*sin, rotate as a matmul. */
    interface Rotary {
        NDArray apply(NDArray x);
    }

    /**
     * @param qkv [B, T, (H + 2*KV) * hd]
     * @param bias additive mask [B or 1, 1, T, Lk]
     * @return [B, T, H*hd]
     */
    static NDArray attend(NDArray qkv, int heads, int kvHeads, int hd, NDArray bias, KvCache cache, int layer, Rotary rope) {
        Shape s = qkv.getShape();
        long b = s.get(0);
        long t = s.get(1);
        NDArray x = qkv.reshape(b, t, heads + 2L * kvHeads, hd).transpose(0, 2, 1, 3);
        NDArray q;
        NDArray k;
        NDArray v;
        if (rope != null) {
            NDList qkV = x.split(new long[] {heads + kvHeads}, 1);
            NDList qk = rope.apply(qkV.get(0)).split(new long[] {heads}, 1);
            q = qk.get(0);
            k = qk.get(1);
            v = qkV.get(1);
        } else {
            NDList parts = x.split(new long[] {heads, heads + kvHeads}, 1);
            q = parts.get(0);
            k = parts.get(1);
            v = parts.get(2);
        }
        if (cache != null) {
            NDArray[] kv = cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        int g = heads / kvHeads;
        double scale = 1.0 / Math.sqrt(hd);
        NDArray out;
        if (g == 1) {
            NDArray scores = Scalars.mul(q, scale).matMul(k.transpose(0, 1, 3, 2)).add(bias);
            out = scores.softmax(-1).matMul(v);
        } else {
            // [B, kv, g, T, hd] against k/v broadcast over the group axis: no copy of k/v per query head
            NDArray q5 = q.reshape(b, kvHeads, g, t, hd);
            NDArray scores = Scalars.mul(q5, scale).matMul(k.transpose(0, 1, 3, 2).expandDims(2)).add(bias.expandDims(1));
            out = scores.softmax(-1).matMul(v.expandDims(2)).reshape(b, heads, t, hd);
        }
        return out.transpose(0, 2, 1, 3).reshape(b, t, (long) heads * hd);
    }
}
