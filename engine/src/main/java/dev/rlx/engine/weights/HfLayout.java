package dev.rlx.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How rlx's internal parameters map to Hugging Face tensors: one-to-one, transposed (GPT-2's Conv1D keeps
 * weights as [in, out]) or fused along the first axis (q/k/v and gate/up of Llama/Qwen2).
 */
public final class HfLayout {
    private HfLayout() {}

    /** One internal parameter and the HF tensors (with their HF shapes) it is made of. */
    public record Mapping(String internal, List<String> hfNames, List<Shape> hfShapes, boolean transpose) {}

    public static List<Mapping> mappings(ModelConfig c) {
        List<Mapping> out = new ArrayList<>();
        long d = c.hiddenSize();
        long hd = c.headDim();
        for (Map.Entry<String, CausalLM.ParamSpec> e : CausalLM.specs(c).entrySet()) {
            String name = e.getKey();
            Shape s = e.getValue().shape();
            if (c.isGpt2()) {
                boolean conv = name.endsWith(".weight") && (name.contains(".c_attn.") || name.contains(".c_proj.")
                        || name.contains(".c_fc."));
                Shape hf = conv ? new Shape(s.get(1), s.get(0)) : s;
                out.add(new Mapping(name, List.of(name), List.of(hf), conv));
            } else if (name.contains(".qkv_proj.")) {
                String pre = name.substring(0, name.indexOf("qkv_proj."));
                String suffix = name.endsWith(".bias") ? "bias" : "weight";
                long q = c.numHeads() * hd;
                long kv = c.numKvHeads() * hd;
                List<Shape> shapes = suffix.equals("bias")
                        ? List.of(new Shape(q), new Shape(kv), new Shape(kv))
                        : List.of(new Shape(q, d), new Shape(kv, d), new Shape(kv, d));
                out.add(new Mapping(name, List.of(pre + "q_proj." + suffix, pre + "k_proj." + suffix,
                        pre + "v_proj." + suffix), shapes, false));
            } else if (name.contains(".gate_up_proj.")) {
                String pre = name.substring(0, name.indexOf("gate_up_proj."));
                Shape half = new Shape(c.intermediateSize(), d);
                out.add(new Mapping(name, List.of(pre + "gate_proj.weight", pre + "up_proj.weight"),
                        List.of(half, half), false));
            } else {
                out.add(new Mapping(name, List.of(name), List.of(s), false));
            }
        }
        return out;
    }

    /** HF tensors that carry no weights (buffers some versions save); skipped on load. */
    static boolean isIgnorable(String hfName) {
        return hfName.endsWith(".attn.bias") || hfName.endsWith(".attn.masked_bias")
                || hfName.endsWith("rotary_emb.inv_freq");
    }

    /** Old GPT-2 checkpoints (GPT2Model) have no "transformer." prefix; the heads (LM, score) never have one. */
    static String normalize(ModelConfig c, String hfName) {
        if (c.isGpt2() && !hfName.startsWith("transformer.") && !hfName.startsWith("lm_head.")
                && !hfName.startsWith("score.")) {
            return "transformer." + hfName;
        }
        return hfName;
    }

    /** The model's parameters as HF tensors (new arrays, float type unchanged), sorted as HF sorts them. */
    public static LinkedHashMap<String, NDArray> toHf(CausalLM model) {
        LinkedHashMap<String, NDArray> out = new LinkedHashMap<>();
        Map<String, NDArray> p = model.parameters();
        for (Mapping m : mappings(model.config())) {
            NDArray a = p.get(m.internal());
            if (m.transpose()) {
                out.put(m.hfNames().get(0), contiguousTranspose(a));
            } else if (m.hfNames().size() == 1) {
                out.put(m.hfNames().get(0), a);
            } else {
                long[] cuts = new long[m.hfShapes().size() - 1];
                long acc = 0;
                for (int i = 0; i < cuts.length; i++) {
                    acc += m.hfShapes().get(i).get(0);
                    cuts[i] = acc;
                }
                NDList parts = a.split(cuts, 0);
                for (int i = 0; i < parts.size(); i++) {
                    out.put(m.hfNames().get(i), parts.get(i).duplicate());
                    parts.get(i).close();
                }
            }
        }
        return out;
    }

    /** A transposed copy laid out row-major (a plain transpose is only a strided view). */
    static NDArray contiguousTranspose(NDArray a) {
        Shape s = a.getShape();
        NDArray t = a.transpose();
        NDArray f = t.flatten();
        NDArray r = f.reshape(s.get(1), s.get(0));
        t.close(); // closing a handle keeps the storage the reshaped view still uses
        f.close();
        return r;
    }

    /** Builds one internal parameter from its HF parts (already shape-checked). */
    static NDArray fromHf(Mapping m, List<NDArray> parts) {
        if (m.transpose()) {
            return contiguousTranspose(parts.get(0));
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return NDArrays.concat(new NDList(parts), 0);
    }
}
