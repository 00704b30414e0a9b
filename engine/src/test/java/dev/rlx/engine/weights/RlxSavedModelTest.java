package dev.rlx.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models built by rlx, saved in HF layout. The folders land in target/rlx-saved with the logits rlx computes,
 * so {@code engine/src/test/python/check_rlx_saved.py} can load them in transformers and compare.
 */
class RlxSavedModelTest {
    static final long[][] IDS = {{1, 5, 9, 33, 2, 60, 17, 4}, {3, 3, 40, 41, 42, 7, 0, 63}};

    static Map<String, ModelConfig> configs() {
        Map<String, ModelConfig> m = new LinkedHashMap<>();
        m.put("gpt2", ModelConfig.gpt().vocabSize(64).dim(16).layers(2).heads(4).context(32)
                .activation("gelu_new").initializerRange(0.3).build());
        m.put("llama", ModelConfig.llama().vocabSize(64).dim(16).layers(2).heads(4).kvHeads(2).intermediateSize(24)
                .context(32).ropeTheta(500).initializerRange(0.3).build());
        m.put("qwen2", ModelConfig.qwen2().vocabSize(64).dim(16).layers(2).heads(4).kvHeads(1).context(32)
                .tieWordEmbeddings(true).initializerRange(0.3).build());
        return m;
    }

    @Test
    void savesHfLayoutThatReloads() throws Exception {
        Path root = Path.of("target/rlx-saved");
        for (Map.Entry<String, ModelConfig> e : configs().entrySet()) {
            Path dir = root.resolve(e.getKey());
            try (CausalLM model = CausalLM.create(e.getValue(), ComputeConfig.defaults(), 42)) {
                HfModels.save(model, dir, e.getKey().equals("llama") ? 8_000 : Long.MAX_VALUE);
                float[] logits = HfRoundTripTest.logits(model, IDS);
                Files.writeString(dir.resolve("expected.json"),
                        new Gson().toJson(Map.of("ids", IDS, "logits", logits)));
                Set<String> names = new TreeSet<>(HfRoundTripTest.entries(dir).keySet());
                assertEquals(expectedHfNames(e.getValue()), names, e.getKey());
                try (CausalLM back = HfModels.load(dir)) {
                    float[] again = HfRoundTripTest.logits(back, IDS);
                    for (int i = 0; i < logits.length; i++) {
                        assertEquals(logits[i], again[i], 0.0);
                    }
                }
            }
        }
        assertTrue(Files.exists(root.resolve("llama").resolve(HfModels.INDEX)), "llama was saved sharded");
    }

    static Set<String> expectedHfNames(ModelConfig c) {
        Set<String> s = new TreeSet<>();
        for (int i = 0; i < c.numLayers(); i++) {
            if (c.isGpt2()) {
                String p = "transformer.h." + i + ".";
                for (String n : List.of("ln_1", "attn.c_attn", "attn.c_proj", "ln_2", "mlp.c_fc", "mlp.c_proj")) {
                    s.add(p + n + ".weight");
                    s.add(p + n + ".bias");
                }
            } else {
                String p = "model.layers." + i + ".";
                for (String n : List.of("input_layernorm", "post_attention_layernorm", "self_attn.q_proj", "self_attn.k_proj",
                        "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")) {
                    s.add(p + n + ".weight");
                }
                if (c.qkvBias()) {
                    for (String n : List.of("q_proj", "k_proj", "v_proj")) {
                        s.add(p + "self_attn." + n + ".bias");
                    }
                }
            }
        }
        if (c.isGpt2()) {
            s.addAll(List.of("transformer.wte.weight", "transformer.wpe.weight", "transformer.ln_f.weight", "transformer.ln_f.bias"));
        } else {
            s.addAll(List.of("model.embed_tokens.weight", "model.norm.weight"));
        }
        if (!c.tieWordEmbeddings()) {
            s.add("lm_head.weight");
        }
        return s;
    }

    // ---- errors name the file and the tensor ----

    static Path copyFixture(Path tmp, String name) throws Exception {
        Path src = HfRoundTripTest.FIXTURES.resolve(name);
        Path dst = tmp.resolve(name);
        Files.createDirectories(dst);
        try (var files = Files.list(src)) {
            for (Path f : files.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }

    @Test
    void unsupportedModelTypeNamesTheFile(@TempDir Path tmp) throws Exception {
        Path dir = copyFixture(tmp, "gpt2");
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("\"model_type\": \"gpt2\"", "\"model_type\": \"mamba\""));
        var e = assertThrows(WeightsException.class, () -> HfModels.load(dir));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("unsupported model_type 'mamba'"), e.getMessage());
    }

    @Test
    void missingTensorIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = copyFixture(tmp, "gpt2");
        try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
            var t = SafeTensors.read(dir.resolve("model.safetensors"), m);
            t.remove("transformer.h.1.mlp.c_fc.bias");
            SafeTensors.write(dir.resolve("model.safetensors"), t, null);
        }
        var e = assertThrows(WeightsException.class, () -> HfModels.load(dir));
        assertTrue(e.getMessage().contains("'transformer.h.1.mlp.c_fc.bias' is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void mismatchedShapeIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = copyFixture(tmp, "llama");
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("\"intermediate_size\": 32", "\"intermediate_size\": 40"));
        var e = assertThrows(WeightsException.class, () -> HfModels.load(dir));
        assertTrue(e.getMessage().contains("model.safetensors: tensor 'model.layers.0.mlp.gate_proj.weight' has shape (32, 16)"),
                e.getMessage());
    }

    @Test
    void truncatedFileIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = copyFixture(tmp, "qwen2");
        Path f = dir.resolve("model.safetensors");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 100));
        var e = assertThrows(WeightsException.class, () -> HfModels.load(dir));
        assertTrue(e.getMessage().contains("model.safetensors: tensor '") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void garbageHeaderIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = copyFixture(tmp, "qwen2");
        Path f = dir.resolve("model.safetensors");
        ByteBuffer bb = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(8).put("{nope!!}".getBytes());
        Files.write(f, bb.array());
        var e = assertThrows(WeightsException.class, () -> HfModels.load(dir));
        assertTrue(e.getMessage().contains("model.safetensors: corrupt safetensors header"), e.getMessage());
    }

    @Test
    void missingShardIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = copyFixture(tmp, "llama_sharded");
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        var e = assertThrows(WeightsException.class, () -> HfModels.load(dir));
        assertTrue(e.getMessage().contains("model-00002-of-00002.safetensors, which does not exist"), e.getMessage());
    }

    @Test
    void unexpectedTensorIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = copyFixture(tmp, "gpt2");
        try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
            var t = SafeTensors.read(dir.resolve("model.safetensors"), m);
            t.put("transformer.h.2.ln_1.weight", m.ones(new ai.djl.ndarray.types.Shape(16)));
            SafeTensors.write(dir.resolve("model.safetensors"), t, null);
        }
        var e = assertThrows(WeightsException.class, () -> HfModels.load(dir));
        assertTrue(e.getMessage().contains("unexpected tensor 'transformer.h.2.ln_1.weight'"), e.getMessage());
    }

    @Test
    void notAModelFolder(@TempDir Path tmp) {
        var e = assertThrows(WeightsException.class, () -> HfModels.load(tmp));
        assertTrue(e.getMessage().contains("no config.json"), e.getMessage());
    }
}
