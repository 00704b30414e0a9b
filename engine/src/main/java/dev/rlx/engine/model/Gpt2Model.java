package dev.rlx.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rlx.engine.device.ComputeConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GPT-2: learned positions, pre-LayerNorm blocks, GELU MLP, head tied to the token embedding. Parameter names
 * are Hugging Face's; the Conv1D weights are kept transposed ([out, in]) so every projection is one linear.
 */
final class Gpt2Model extends CausalLM {
    private final NDArray[][] layerParams;

    Gpt2Model(ModelConfig c, ComputeConfig compute, NDManager m, LinkedHashMap<String, NDArray> p) {
        super(c, compute, m, p);
        layerParams = new NDArray[c.numLayers()][];
        for (int i = 0; i < c.numLayers(); i++) {
            String pre = "transformer.h." + i + ".";
            layerParams[i] = new NDArray[] {
                p.get(pre + "ln_1.weight"), p.get(pre + "ln_1.bias"),
                p.get(pre + "attn.c_attn.weight"), p.get(pre + "attn.c_attn.bias"),
                p.get(pre + "attn.c_proj.weight"), p.get(pre + "attn.c_proj.bias"),
                p.get(pre + "ln_2.weight"), p.get(pre + "ln_2.bias"),
                p.get(pre + "mlp.c_fc.weight"), p.get(pre + "mlp.c_fc.bias"),
                p.get(pre + "mlp.c_proj.weight"), p.get(pre + "mlp.c_proj.bias"),
            };
        }
    }

    static Map<String, ParamSpec> paramSpecs(ModelConfig c) {
        LinkedHashMap<String, ParamSpec> s = new LinkedHashMap<>();
        long d = c.hiddenSize();
        long inter = c.intermediateSize();
        double projScale = 1.0 / Math.sqrt(2.0 * c.numLayers());
        s.put("transformer.wte.weight", ParamSpec.normal(1, c.vocabSize(), d));
        s.put("transformer.wpe.weight", ParamSpec.normal(0.5, c.maxPositions(), d));
        for (int i = 0; i < c.numLayers(); i++) {
            String pre = "transformer.h." + i + ".";
            s.put(pre + "ln_1.weight", ParamSpec.ones(d));
            s.put(pre + "ln_1.bias", ParamSpec.zeros(d));
            s.put(pre + "attn.c_attn.weight", ParamSpec.normal(1, 3 * d, d));
            s.put(pre + "attn.c_attn.bias", ParamSpec.zeros(3 * d));
            s.put(pre + "attn.c_proj.weight", ParamSpec.normal(projScale, d, d));
            s.put(pre + "attn.c_proj.bias", ParamSpec.zeros(d));
            s.put(pre + "ln_2.weight", ParamSpec.ones(d));
            s.put(pre + "ln_2.bias", ParamSpec.zeros(d));
            s.put(pre + "mlp.c_fc.weight", ParamSpec.normal(1, inter, d));
            s.put(pre + "mlp.c_fc.bias", ParamSpec.zeros(inter));
            s.put(pre + "mlp.c_proj.weight", ParamSpec.normal(projScale, d, inter));
            s.put(pre + "mlp.c_proj.bias", ParamSpec.zeros(d));
        }
        s.put("transformer.ln_f.weight", ParamSpec.ones(d));
        s.put("transformer.ln_f.bias", ParamSpec.zeros(d));
        if (!c.tieWordEmbeddings()) {
            s.put("lm_head.weight", ParamSpec.normal(1, c.vocabSize(), d));
        }
        return s;
    }

    @Override
    protected NDArray embeddingTable() {
        return params.get("transformer.wte.weight");
    }

    @Override
    public NDArray hidden(NDArray tokens, AttentionInputs in, KvCache cache) {
        double eps = config.normEps();
        int h = config.numHeads();
        int hd = config.headDim();
        NDArray te = Ops.embedding(tokens, params.get("transformer.wte.weight"));
        NDArray pe = Ops.embedding(in.positions(), params.get("transformer.wpe.weight"));
        NDArray x = Ops.free(te.add(pe), te, pe);
        for (int i = 0; i < layerParams.length; i++) {
            NDArray[] p = layerParams[i];
            NDArray n1 = Ops.layerNorm(x, p[0], p[1], eps);
            NDArray a = Ops.free(Ops.linear(n1, p[2], p[3]), n1);
            a = Ops.free(Attention.attend(a, h, h, hd, in.bias(), cache, i, null), a);
            NDArray o = Ops.free(Ops.linear(a, p[4], p[5]), a);
            x = Ops.free(x.add(o), x, o);
            NDArray n2 = Ops.layerNorm(x, p[6], p[7], eps);
            NDArray f1 = Ops.free(Ops.linear(n2, p[8], p[9]), n2);
            NDArray f = Ops.free(Ops.activation(f1, config.activation()), f1);
            NDArray o2 = Ops.free(Ops.linear(f, p[10], p[11]), f);
            x = Ops.free(x.add(o2), x, o2);
        }
        return Ops.free(Ops.layerNorm(x, params.get("transformer.ln_f.weight"), params.get("transformer.ln_f.bias"), eps), x);
    }
}
