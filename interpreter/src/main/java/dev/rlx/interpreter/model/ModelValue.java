package dev.rlx.interpreter.model;

import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import dev.rlx.interpreter.runtime.EngineValue;
import dev.rlx.interpreter.runtime.MemberValue;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A language model as an .rlx value, immutable like every value: builtins that change weights (`sft`)
 * return a new model. Carries the tokenizer it was built or loaded with (or none), and the per-step
 * losses of the `sft` call that produced it. Members: `m.arch`, `m.layers`, `m.dim`, ..., `m.config`.
 */
public final class ModelValue implements EngineValue, MemberValue {
    private static final List<String> MEMBERS = List.of("arch", "layers", "dim", "heads", "kv_heads", "vocab",
            "context", "params", "device", "dtype", "tokenizer", "losses", "config");

    private final CausalLM model;
    private final TokenizerValue tokenizer;
    private final double[] losses;

    public ModelValue(CausalLM model, TokenizerValue tokenizer, double[] losses) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.losses = losses;
    }

    public CausalLM model() {
        return model;
    }

    /** The tokenizer, or null. */
    public TokenizerValue tokenizer() {
        return tokenizer;
    }

    @Override
    public String typeName() {
        return "model";
    }

    @Override
    public String display() {
        ModelConfig c = model.config();
        return "<model " + c.arch() + " " + c.numLayers() + "x" + c.hiddenSize() + " vocab " + c.vocabSize() + ", "
                + count(model.numParameters()) + " params>";
    }

    /** 0.8M, 12.3K, 950: one decimal at most, millions from 100K on, like the sizes people quote. */
    static String count(long n) {
        if (n >= 1_000_000_000L) {
            return trim(n / 1e9) + "B";
        } else if (n >= 100_000L) {
            return trim(n / 1e6) + "M";
        } else if (n >= 1_000L) {
            return trim(n / 1e3) + "K";
        }
        return Long.toString(n);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    @Override
    public String toJson() {
        ModelConfig c = model.config();
        return String.format(Locale.ROOT, "{\"model\": \"%s\", \"layers\": %d, \"dim\": %d, \"vocab\": %d, \"params\": %d}",
                c.arch(), c.numLayers(), c.hiddenSize(), c.vocabSize(), model.numParameters());
    }

    @Override
    public Object member(String name) {
        ModelConfig c = model.config();
        return switch (name) {
            case "arch" -> c.arch();
            case "layers" -> (long) c.numLayers();
            case "dim" -> (long) c.hiddenSize();
            case "heads" -> (long) c.numHeads();
            case "kv_heads" -> (long) c.numKvHeads();
            case "vocab" -> (long) c.vocabSize();
            case "context" -> (long) c.maxPositions();
            case "params" -> model.numParameters();
            case "device" -> model.compute().device();
            case "dtype" -> model.compute().dtype();
            case "tokenizer" -> tokenizer == null ? RlxNone.INSTANCE : tokenizer;
            case "losses" -> lossList();
            case "config" -> config(c);
            default -> null;
        };
    }

    private RlxList lossList() {
        Object[] out = new Object[losses.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = losses[i];
        }
        return new RlxList(out);
    }

    /** The whole configuration, under the names of the builders' parameters. */
    private static RlxRecord config(ModelConfig c) {
        List<String> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        put(keys, values, "arch", c.arch());
        put(keys, values, "vocab", (long) c.vocabSize());
        put(keys, values, "layers", (long) c.numLayers());
        put(keys, values, "dim", (long) c.hiddenSize());
        put(keys, values, "heads", (long) c.numHeads());
        put(keys, values, "kv_heads", (long) c.numKvHeads());
        put(keys, values, "mlp_dim", (long) c.intermediateSize());
        put(keys, values, "context", (long) c.maxPositions());
        put(keys, values, "norm_eps", c.normEps());
        put(keys, values, "rope_theta", c.ropeTheta());
        put(keys, values, "tie_embeddings", c.tieWordEmbeddings());
        put(keys, values, "qkv_bias", c.qkvBias());
        put(keys, values, "activation", c.activation());
        put(keys, values, "bos_id", (long) c.bosTokenId());
        put(keys, values, "eos_id", (long) c.eosTokenId());
        put(keys, values, "init_std", c.initializerRange());
        return RlxRecord.of("config", keys, values);
    }

    private static void put(List<String> keys, List<Object> values, String k, Object v) {
        keys.add(k);
        values.add(v);
    }

    @Override
    public Collection<String> memberNames() {
        return MEMBERS;
    }
}
