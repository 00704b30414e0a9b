package dev.rlx.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.tensor.HostArrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Llama / Qwen2: RMSNorm, rotary positions (configurable theta), SwiGLU MLP, grouped-query attention, optional
 * q/k/v bias (Qwen2), tied or separate head. q/k/v and gate/up are stored fused (one linear each); the
 * Hugging Face layout splits them on save.
 */
final class LlamaModel extends CausalLM {
    private final NDArray[][] layerParams;
    private final NDArray cosTable;
    private final NDArray sinTable;
    private final NDArray rotateHalf;

    LlamaModel(ModelConfig c, ComputeConfig compute, NDManager m, LinkedHashMap<String, NDArray> p) {
        super(c, compute, m, p);
        layerParams = new NDArray[c.numLayers()][];
        for (int i = 0; i < c.numLayers(); i++) {
            String pre = "model.layers." + i + ".";
            layerParams[i] = new NDArray[] {
                p.get(pre + "input_layernorm.weight"),
                p.get(pre + "self_attn.qkv_proj.weight"), p.get(pre + "self_attn.qkv_proj.bias"),
                p.get(pre + "self_attn.o_proj.weight"),
                p.get(pre + "post_attention_layernorm.weight"),
                p.get(pre + "mlp.gate_up_proj.weight"), p.get(pre + "mlp.down_proj.weight"),
            };
        }
        int hd = c.headDim();
        int half = hd / 2;
        int n = c.maxPositions();
        float[] cos = new float[n * hd];
        float[] sin = new float[n * hd];
        for (int pos = 0; pos < n; pos++) {
            for (int i = 0; i < half; i++) {
                // same float32 arithmetic order as HF: inv_freq in float32, then pos * inv_freq
                float invFreq = (float) (1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / hd));
                float angle = pos * invFreq;
                cos[pos * hd + i] = cos[pos * hd + i + half] = (float) Math.cos(angle);
                sin[pos * hd + i] = sin[pos * hd + i + half] = (float) Math.sin(angle);
            }
        }
        float[] rot = new float[hd * hd];
        for (int i = 0; i < half; i++) {
            rot[(i + half) * hd + i] = -1f; // out[i] = -x[i + half]
            rot[i * hd + i + half] = 1f; // out[i + half] = x[i]
        }
        var dt = compute.djlDataType();
        cosTable = HostArrays.of(m, cos, new Shape(n, hd)).toType(dt, false);
        sinTable = HostArrays.of(m, sin, new Shape(n, hd)).toType(dt, false);
        rotateHalf = HostArrays.of(m, rot, new Shape(hd, hd)).toType(dt, false);
    }

    static Map<String, ParamSpec> paramSpecs(ModelConfig c) {
        LinkedHashMap<String, ParamSpec> s = new LinkedHashMap<>();
        long d = c.hiddenSize();
        long hd = c.headDim();
        long qkv = (c.numHeads() + 2L * c.numKvHeads()) * hd;
        long inter = c.intermediateSize();
        s.put("model.embed_tokens.weight", ParamSpec.normal(1, c.vocabSize(), d));
        for (int i = 0; i < c.numLayers(); i++) {
            String pre = "model.layers." + i + ".";
            s.put(pre + "input_layernorm.weight", ParamSpec.ones(d));
            s.put(pre + "self_attn.qkv_proj.weight", ParamSpec.normal(1, qkv, d));
            if (c.qkvBias()) {
                s.put(pre + "self_attn.qkv_proj.bias", ParamSpec.zeros(qkv));
            }
            s.put(pre + "self_attn.o_proj.weight", ParamSpec.normal(1, d, c.numHeads() * hd));
            s.put(pre + "post_attention_layernorm.weight", ParamSpec.ones(d));
            s.put(pre + "mlp.gate_up_proj.weight", ParamSpec.normal(1, 2 * inter, d));
            s.put(pre + "mlp.down_proj.weight", ParamSpec.normal(1, d, inter));
        }
        s.put("model.norm.weight", ParamSpec.ones(d));
        if (!c.tieWordEmbeddings()) {
            s.put("lm_head.weight", ParamSpec.normal(1, c.vocabSize(), d));
        }
        return s;
    }

    @Override
    protected NDArray embeddingTable() {
        return params.get("model.embed_tokens.weight");
    }

    @Override
    public NDArray hidden(NDArray tokens, AttentionInputs in, KvCache cache) {
        double eps = config.normEps();
        int h = config.numHeads();
        int kv = config.numKvHeads();
        int hd = config.headDim();
        long inter = config.intermediateSize();
        NDArray ce = Ops.embedding(in.positions(), cosTable);
        NDArray se = Ops.embedding(in.positions(), sinTable);
        NDArray cos = Ops.free(ce.expandDims(1), ce);
        NDArray sin = Ops.free(se.expandDims(1), se);
        Attention.Rotary rope = x -> {
            NDArray c = x.mul(cos);
            NDArray r = x.matMul(rotateHalf);
            NDArray rs = Ops.free(r.mul(sin), r);
            return Ops.free(c.add(rs), c, rs);
        };
        // intermediate handles are closed once used (Ops.free)
        NDArray x = Ops.embedding(tokens, params.get("model.embed_tokens.weight"));
        for (int i = 0; i < layerParams.length; i++) {
            NDArray[] p = layerParams[i];
            NDArray n1 = Ops.rmsNorm(x, p[0], eps);
            NDArray a = Ops.free(Ops.linear(n1, p[1], p[2]), n1);
            a = Ops.free(Attention.attend(a, h, kv, hd, in.bias(), cache, i, rope), a);
            NDArray o = Ops.free(Ops.linear(a, p[3], null), a);
            x = Ops.free(x.add(o), x, o);
            NDArray n2 = Ops.rmsNorm(x, p[4], eps);
            NDArray guAll = Ops.free(Ops.linear(n2, p[5], null), n2);
            NDList gu = guAll.split(new long[] {inter}, 2);
            NDArray act = Ops.activation(gu.get(0), config.activation());
            NDArray f = Ops.free(act.mul(gu.get(1)), act, gu.get(0), gu.get(1), guAll);
            NDArray o2 = Ops.free(Ops.linear(f, p[6], null), f);
            x = Ops.free(x.add(o2), x, o2);
        }
        return Ops.free(Ops.rmsNorm(x, params.get("model.norm.weight"), eps), x, cos, sin);
    }
}
