package dev.rlx.engine.weights;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code config.json} of a Hugging Face model folder, to and from {@link ModelConfig}. */
public final class HfConfig {
    private HfConfig() {}

    public static ModelConfig read(Path file) {
        JsonObject o = object(file);
        String type = str(o, "model_type", null);
        if (type == null) {
            throw new WeightsException(file + ": no model_type");
        }
        try {
            return switch (type) {
                case "gpt2" -> gpt2(o);
                case "llama", "qwen2" -> llama(file, o, type);
                default -> throw new WeightsException(file + ": unsupported model_type '" + type
                        + "' (supported: gpt2, llama, qwen2)");
            };
        } catch (IllegalArgumentException e) {
            throw new WeightsException(file + ": " + e.getMessage(), e);
        }
    }

    private static JsonObject object(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException e) {
            throw new WeightsException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new WeightsException(file + ": not a valid JSON object", e);
        }
    }

    private static ModelConfig gpt2(JsonObject o) {
        int d = num(o, "n_embd", 768);
        int inner = o.has("n_inner") && !o.get("n_inner").isJsonNull() ? o.get("n_inner").getAsInt() : 4 * d;
        return new ModelConfig("gpt2", num(o, "vocab_size", 50257), d, num(o, "n_layer", 12), num(o, "n_head", 12),
                num(o, "n_head", 12), inner, num(o, "n_positions", 1024), dbl(o, "layer_norm_epsilon", 1e-5), 10000.0,
                bool(o, "tie_word_embeddings", true), true, str(o, "activation_function", "gelu_new"),
                num(o, "bos_token_id", 50256), num(o, "eos_token_id", 50256), dbl(o, "initializer_range", 0.02));
    }

    private static ModelConfig llama(Path file, JsonObject o, String type) {
        int d = num(o, "hidden_size", 4096);
        int heads = num(o, "num_attention_heads", 32);
        if (o.has("head_dim") && !o.get("head_dim").isJsonNull() && o.get("head_dim").getAsInt() != d / heads) {
            throw new WeightsException(file + ": head_dim " + o.get("head_dim") + " != hidden_size/num_attention_heads is not supported");
        }
        double theta = dbl(o, "rope_theta", 10000.0);
        JsonObject rope = null;
        for (String key : new String[] {"rope_parameters", "rope_scaling"}) {
            if (o.has(key) && o.get(key).isJsonObject()) {
                rope = o.getAsJsonObject(key);
            }
        }
        if (rope != null) {
            String rt = str(rope, "rope_type", str(rope, "type", "default"));
            if (!rt.equals("default")) {
                throw new WeightsException(file + ": rope scaling '" + rt + "' is not supported");
            }
            theta = dbl(rope, "rope_theta", theta);
        }
        if (bool(o, "mlp_bias", false)) {
            throw new WeightsException(file + ": mlp_bias is not supported");
        }
        boolean qwen = type.equals("qwen2");
        boolean bias = qwen || bool(o, "attention_bias", false);
        return new ModelConfig(type, num(o, "vocab_size", 32000), d, num(o, "num_hidden_layers", 32), heads,
                num(o, "num_key_value_heads", heads), num(o, "intermediate_size", 11008),
                num(o, "max_position_embeddings", 2048), dbl(o, "rms_norm_eps", 1e-6), theta,
                bool(o, "tie_word_embeddings", false), bias, str(o, "hidden_act", "silu"), num(o, "bos_token_id", 1),
                num(o, "eos_token_id", 2), dbl(o, "initializer_range", 0.02));
    }

    public static void write(ModelConfig c, Path file, String dtype) {
        writeJson(file, fields(c, dtype));
    }

    /**
     * The config of a {@code *ForSequenceClassification} reward model: the backbone's fields, that class as the
     * architecture, one label, and {@code pad_token_id} (transformers scores the last token that is not padding;
     * null when the tokenizer has none, {@code padTokenId < 0}).
     */
    public static void writeRewardModel(ModelConfig c, Path file, String dtype, int padTokenId) {
        Map<String, Object> m = fields(c, dtype);
        m.put("architectures", new String[] {sequenceClassifier(c.arch())});
        m.put("num_labels", 1);
        m.put("id2label", Map.of("0", "LABEL_0"));
        m.put("label2id", Map.of("LABEL_0", 0));
        m.put("pad_token_id", padTokenId < 0 ? null : padTokenId);
        writeJson(file, m);
    }

    /** The transformers class of a reward model of architecture {@code arch}. */
    public static String sequenceClassifier(String arch) {
        return switch (arch) {
            case "gpt2" -> "GPT2ForSequenceClassification";
            case "qwen2" -> "Qwen2ForSequenceClassification";
            default -> "LlamaForSequenceClassification";
        };
    }

    /** The first entry of {@code architectures} in a config.json, or null when it has none. */
    public static String architecture(Path file) {
        JsonObject o = object(file);
        JsonElement a = o.get("architectures");
        return a != null && a.isJsonArray() && !a.getAsJsonArray().isEmpty() ? a.getAsJsonArray().get(0).getAsString()
                : null;
    }

    /** {@code pad_token_id} of a config.json, or -1 when it is missing or null. */
    public static int padTokenId(Path file) {
        return num(object(file), "pad_token_id", -1);
    }

    private static void writeJson(Path file, Map<String, Object> m) {
        try {
            Files.writeString(file, new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(m) + "\n");
        } catch (IOException e) {
            throw new WeightsException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    private static Map<String, Object> fields(ModelConfig c, String dtype) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (c.isGpt2()) {
            m.put("architectures", new String[] {"GPT2LMHeadModel"});
            m.put("model_type", "gpt2");
            m.put("vocab_size", c.vocabSize());
            m.put("n_embd", c.hiddenSize());
            m.put("n_layer", c.numLayers());
            m.put("n_head", c.numHeads());
            m.put("n_inner", c.intermediateSize());
            m.put("n_positions", c.maxPositions());
            m.put("n_ctx", c.maxPositions());
            m.put("layer_norm_epsilon", c.normEps());
            m.put("activation_function", c.activation());
            m.put("resid_pdrop", 0.0);
            m.put("embd_pdrop", 0.0);
            m.put("attn_pdrop", 0.0);
        } else {
            boolean qwen = c.arch().equals("qwen2");
            m.put("architectures", new String[] {qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM"});
            m.put("model_type", c.arch());
            m.put("vocab_size", c.vocabSize());
            m.put("hidden_size", c.hiddenSize());
            m.put("num_hidden_layers", c.numLayers());
            m.put("num_attention_heads", c.numHeads());
            m.put("num_key_value_heads", c.numKvHeads());
            m.put("head_dim", c.headDim());
            m.put("intermediate_size", c.intermediateSize());
            m.put("max_position_embeddings", c.maxPositions());
            m.put("rms_norm_eps", c.normEps());
            m.put("rope_theta", c.ropeTheta());
            m.put("hidden_act", c.activation());
            if (!qwen) {
                m.put("attention_bias", c.qkvBias());
                m.put("mlp_bias", false);
            } else if (!c.qkvBias()) {
                throw new WeightsException("qwen2 always has q/k/v bias; use arch llama with attention_bias false");
            }
            m.put("attention_dropout", 0.0);
        }
        m.put("tie_word_embeddings", c.tieWordEmbeddings());
        m.put("bos_token_id", c.bosTokenId());
        m.put("eos_token_id", c.eosTokenId());
        m.put("initializer_range", c.initializerRange());
        m.put("torch_dtype", dtype);
        m.put("use_cache", true);
        return m;
    }

    private static int num(JsonObject o, String k, int def) {
        JsonElement e = o.get(k);
        if (e == null || e.isJsonNull()) {
            return def;
        }
        if (e.isJsonArray()) { // eos_token_id may be a list: the first is the main one
            return e.getAsJsonArray().isEmpty() ? def : e.getAsJsonArray().get(0).getAsInt();
        }
        return e.getAsInt();
    }

    private static double dbl(JsonObject o, String k, double def) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? def : e.getAsDouble();
    }

    private static boolean bool(JsonObject o, String k, boolean def) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? def : e.getAsBoolean();
    }

    private static String str(JsonObject o, String k, String def) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? def : e.getAsString();
    }
}
