package dev.rlx.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.model.AttentionInputs;
import dev.rlx.engine.model.CausalLM;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** transformers-saved fixtures load with the same logits; rlx-saved folders re-load identically. */
class HfRoundTripTest {
    static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    static JsonObject expected(Path dir) throws Exception {
        return JsonParser.parseString(Files.readString(dir.resolve("expected.json"))).getAsJsonObject();
    }

    static long[][] ids(JsonObject e) {
        JsonArray rows = e.getAsJsonArray("ids");
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray r = rows.get(i).getAsJsonArray();
            out[i] = new long[r.size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = r.get(j).getAsLong();
            }
        }
        return out;
    }

    static float[] logits(CausalLM model, long[][] ids) {
        try (NDManager m = model.manager().newSubManager()) {
            int b = ids.length;
            int t = ids[0].length;
            long[] flat = new long[b * t];
            for (int i = 0; i < b; i++) {
                System.arraycopy(ids[i], 0, flat, i * t, t);
            }
            NDArray tokens = m.create(flat, new Shape(b, t));
            return model.forward(tokens, AttentionInputs.causal(m, t, model.dataType()), null).toFloatArray();
        }
    }

    static double maxDiff(float[] a, JsonArray b) {
        assertEquals(b.size(), a.length);
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b.get(i).getAsDouble()));
        }
        return d;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama", "qwen2", "llama_sharded"})
    void transformersSavedLoadsWithSameLogits(String name, @TempDir Path tmp) throws Exception {
        Path dir = FIXTURES.resolve(name);
        JsonObject e = expected(dir);
        try (CausalLM model = HfModels.load(dir)) {
            float[] got = logits(model, ids(e));
            double diff = maxDiff(got, e.getAsJsonArray("logits"));
            assertTrue(diff < 1e-4, name + ": max |logit diff| " + diff);

            // save -> reload gives bit-identical logits, HF names and shapes, format metadata
            Path out = tmp.resolve(name);
            HfModels.save(model, out, name.endsWith("sharded") ? 20_000 : Long.MAX_VALUE);
            try (CausalLM again = HfModels.load(out)) {
                float[] got2 = logits(again, ids(e));
                for (int i = 0; i < got.length; i++) {
                    assertEquals(got[i], got2[i], 0.0, "reloaded logit " + i);
                }
                assertEquals(model.config(), again.config());
            }
            assertSameTensors(dir, out);
        }
    }

    /** rlx writes the same tensor names, shapes and dtypes as transformers, and format=pt, 8-byte aligned. */
    static void assertSameTensors(Path hfDir, Path rlxDir) throws Exception {
        Map<String, SafeTensors.Entry> hf = entries(hfDir);
        Map<String, SafeTensors.Entry> rlx = entries(rlxDir);
        assertEquals(hf.keySet(), rlx.keySet());
        for (String k : hf.keySet()) {
            assertEquals(java.util.Arrays.toString(hf.get(k).shape()), java.util.Arrays.toString(rlx.get(k).shape()), k);
            assertEquals(hf.get(k).dtype(), rlx.get(k).dtype(), k);
        }
        try (var files = Files.list(rlxDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".safetensors")).toList()) {
                SafeTensors.Header h = SafeTensors.readHeader(f);
                assertEquals("pt", h.metadata().get("format"));
                assertEquals(0, h.dataStart() % 8, "header padded to 8 bytes");
            }
        }
    }

    static Map<String, SafeTensors.Entry> entries(Path dir) throws Exception {
        Map<String, SafeTensors.Entry> out = new java.util.TreeMap<>();
        try (var files = Files.list(dir)) {
            List<Path> st = files.filter(p -> p.toString().endsWith(".safetensors")).toList();
            for (Path f : st) {
                for (SafeTensors.Entry e : SafeTensors.readHeader(f).entries()) {
                    out.put(e.name(), e);
                }
            }
        }
        return out;
    }
}
