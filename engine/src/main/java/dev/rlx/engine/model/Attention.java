package dev.rlx.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Causal multi-head attention over a fused qkv projection, with grouped-query attention and an optional KV
 * cache. GQA needs no repeat of k/v: the g query heads that share one kv head are folded into the query
 * length ([B, kv, g*T, hd]), so one batched matmul serves them all. Intermediate handles are closed as soon as
 * they are used (see {@link Ops#free}).
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
        NDArray r4 = qkv.reshape(b, t, heads + 2L * kvHeads, hd);
        NDArray x = Ops.free(r4.transpose(0, 2, 1, 3), r4);
        NDArray q;
        NDArray k;
        NDArray v;
        if (rope != null) {
            NDList qkV = x.split(new long[] {heads + kvHeads}, 1);
            NDArray rotated = rope.apply(qkV.get(0));
            NDList qk = rotated.split(new long[] {heads}, 1);
            Ops.free(null, rotated, qkV.get(0));
            q = qk.get(0);
            k = qk.get(1);
            v = qkV.get(1);
        } else {
            NDList parts = x.split(new long[] {heads, heads + kvHeads}, 1);
            q = parts.get(0);
            k = parts.get(1);
            v = parts.get(2);
        }
        x.close();
        if (cache != null) {
            // the cache owns what it returns (possibly k and v themselves): those stay open
            NDArray[] kv = cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        int g = heads / kvHeads;
        double scale = 1.0 / Math.sqrt(hd);
        NDArray out;
        if (g == 1) {
            NDArray qs = Ops.free(Scalars.mul(q, scale), q);
            NDArray kt = k.transpose(0, 1, 3, 2);
            NDArray raw = Ops.free(qs.matMul(kt), qs, kt);
            NDArray w = softmax(raw, bias);
            out = Ops.free(w.matMul(v), w);
        } else {
            // [B, kv, g, T, hd] against k/v broadcast over the group axis: no copy of k/v per query head
            NDArray q5 = Ops.free(q.reshape(b, kvHeads, g, t, hd), q);
            NDArray qs = Ops.free(Scalars.mul(q5, scale), q5);
            NDArray kt = k.transpose(0, 1, 3, 2);
            NDArray kt5 = Ops.free(kt.expandDims(2), kt);
            NDArray raw = Ops.free(qs.matMul(kt5), qs, kt5);
            NDArray bias5 = bias.expandDims(1);
            NDArray w = Ops.free(softmax(raw, bias5), bias5);
            NDArray v5 = v.expandDims(2);
            NDArray o5 = Ops.free(w.matMul(v5), w, v5);
            out = Ops.free(o5.reshape(b, heads, t, hd), o5);
        }
        if (cache == null) {
            Ops.free(null, k, v);
        }
        NDArray ot = Ops.free(out.transpose(0, 2, 1, 3), out);
        return Ops.free(ot.reshape(b, t, (long) heads * hd), ot);
    }

    private static NDArray softmax(NDArray scores, NDArray bias) {
        NDArray masked = Ops.free(scores.add(bias), scores);
        return Ops.free(masked.softmax(-1), masked);
    }
}
