package dev.rlx.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import dev.rlx.engine.reward.RewardModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reward models in *ForSequenceClassification layout, both directions against transformers: folders transformers
 * saved score the same in rlx, and folders rlx saves are the ones transformers scored (engine/src/test/python/
 * make_rm_fixtures.py made every number here).
 */
class HfRewardModelsTest {
    static final Path FIXTURES = HfRoundTripTest.FIXTURES;
    static final int PAD = 0;

    static List<int[]> seqs(JsonObject e) {
        List<int[]> out = new ArrayList<>();
        for (long[] row : HfRoundTripTest.ids(e)) {
            out.add(Arrays.stream(row).mapToInt(x -> (int) x).toArray());
        }
        return out;
    }

    /** Each sequence split into a prompt (its first {@code cut} tokens) and a response (the rest). */
    static List<int[]> head(List<int[]> seqs, int cut) {
        return seqs.stream().map(s -> Arrays.copyOf(s, cut)).toList();
    }

    static List<int[]> tail(List<int[]> seqs, int cut) {
        return seqs.stream().map(s -> Arrays.copyOfRange(s, cut, s.length)).toList();
    }

    static void assertScores(JsonArray want, double[] got, String what) {
        assertEquals(want.size(), got.length, what);
        for (int i = 0; i < got.length; i++) {
            assertEquals(want.get(i).getAsDouble(), got[i], 1e-4, what + " row " + i);
        }
    }

    /** rlx's batch scores and prefix scores of the expected.json sequences against transformers' numbers. */
    static void assertMatchesTransformers(RewardModel rm, JsonObject e, String what) {
        List<int[]> seqs = seqs(e);
        // prompts of different lengths (left-padded) and responses of different lengths (right-padded) in one batch
        List<int[]> prompts = new ArrayList<>();
        List<int[]> responses = new ArrayList<>();
        for (int i = 0; i < seqs.size(); i++) {
            int cut = 1 + i % (seqs.get(i).length - 1);
            prompts.add(Arrays.copyOf(seqs.get(i), cut));
            responses.add(Arrays.copyOfRange(seqs.get(i), cut, seqs.get(i).length));
        }
        assertScores(e.getAsJsonArray("scores"), rm.scoreSequences(prompts, responses, PAD), what + " scores");
        float[][] prefixes = rm.prefixScores(head(seqs, 1), tail(seqs, 1), PAD);
        JsonArray want = e.getAsJsonArray("prefix_scores");
        for (int i = 0; i < seqs.size(); i++) {
            double[] got = new double[prefixes[i].length];
            for (int j = 0; j < got.length; j++) got[j] = prefixes[i][j];
            assertScores(want.get(i).getAsJsonArray(), got, what + " prefix scores of sequence " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama", "qwen2"})
    void transformersSavedRewardModelsScoreTheSame(String arch, @TempDir Path tmp) throws Exception {
        Path dir = FIXTURES.resolve("rm_" + arch);
        JsonObject e = HfRoundTripTest.expected(dir);
        assertTrue(HfRewardModels.isRewardModel(dir));
        assertEquals(PAD, HfRewardModels.padTokenId(dir));
        try (RewardModel rm = HfRewardModels.load(dir, ComputeConfig.defaults())) {
            assertEquals(arch, rm.config().arch());
            assertMatchesTransformers(rm, e, arch);

            // rlx's save of it reloads to the same scores, bit for bit, with the tensors transformers wrote
            Path out = tmp.resolve(arch);
            HfRewardModels.save(rm, out, PAD);
            assertEquals(HfRoundTripTest.entries(dir).keySet(), HfRoundTripTest.entries(out).keySet());
            try (RewardModel again = HfRewardModels.load(out, ComputeConfig.defaults())) {
                List<int[]> s = seqs(e);
                assertArrayEquals(rm.scoreSequences(head(s, 1), tail(s, 1), PAD),
                        again.scoreSequences(head(s, 1), tail(s, 1), PAD));
            }
            JsonObject cfg = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
            assertEquals(e.get("class").getAsString(), cfg.getAsJsonArray("architectures").get(0).getAsString());
            assertEquals(1, cfg.get("num_labels").getAsInt());
            assertEquals(PAD, cfg.get("pad_token_id").getAsInt());
        }
    }

    /** The seeded reward models whose rlx-saved folders transformers scored (fixtures/rm_from_rlx). */
    static Map<String, ModelConfig> rlxConfigs() {
        return RlxSavedModelTest.configs();
    }

    /**
     * A model from {@code seed} whose 1-D parameters (biases, norm weights) get seeded noise: rlx initializes them to
     * zeros and ones, which would hide a mix-up of q/k/v biases or of a norm's weight and bias.
     */
    static CausalLM backbone(ModelConfig c, long seed) {
        try (CausalLM init = CausalLM.create(c, ComputeConfig.defaults(), seed)) {
            NDManager m = NDManager.newBaseManager(init.manager().getDevice());
            SplittableRandom rng = new SplittableRandom(seed + 1);
            LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : init.parameters().entrySet()) {
                float[] v = e.getValue().toFloatArray();
                if (e.getValue().getShape().dimension() == 1) {
                    for (int i = 0; i < v.length; i++) v[i] += (float) ((rng.nextDouble() - 0.5) * 0.6);
                }
                params.put(e.getKey(), m.create(v, e.getValue().getShape()));
            }
            return CausalLM.wrap(c, ComputeConfig.defaults(), m, params);
        }
    }

    static RewardModel seededRewardModel(ModelConfig c) {
        try (CausalLM lm = backbone(c, 42)) {
            return RewardModel.create(lm, 7);
        }
    }

    @Test
    void rlxSavesTheFilesTransformersScored(@TempDir Path tmp) throws Exception {
        // first every folder for make_rm_fixtures.py check, which scores them in transformers
        for (Map.Entry<String, ModelConfig> c : rlxConfigs().entrySet()) {
            try (RewardModel rm = seededRewardModel(c.getValue())) {
                HfRewardModels.save(rm, Path.of("target/rlx-saved-rm").resolve(c.getKey()), PAD);
            }
        }
        for (Map.Entry<String, ModelConfig> c : rlxConfigs().entrySet()) {
            String arch = c.getKey();
            try (RewardModel rm = seededRewardModel(c.getValue())) {
                Path out = tmp.resolve(arch);
                HfRewardModels.save(rm, out, PAD);
                Path fixture = FIXTURES.resolve("rm_from_rlx").resolve(arch);
                assertTrue(Files.isDirectory(fixture), fixture + " is missing: run make_rm_fixtures.py check");
                assertSameTensors(fixture.resolve("model.safetensors"), out.resolve("model.safetensors"), arch);
                assertEquals(JsonParser.parseString(Files.readString(fixture.resolve("config.json"))),
                        JsonParser.parseString(Files.readString(out.resolve("config.json"))), arch + " config.json");
                JsonObject e = HfRoundTripTest.expected(fixture);
                assertTrue(e.get("scored_by").getAsString().startsWith("transformers"));
                assertMatchesTransformers(rm, e, arch + " (rlx, in memory)");
                try (RewardModel loaded = HfRewardModels.load(fixture, ComputeConfig.defaults())) {
                    assertMatchesTransformers(loaded, e, arch + " (rlx, loaded)");
                }
                assertFalse(HfRoundTripTest.entries(out).containsKey("lm_head.weight"), arch + " saved an LM head");
            }
        }
    }

    /**
     * The same tensors (names, dtypes, shapes, places in the file) with the same values. Values get a tolerance of
     * 1e-6 rather than a byte comparison: the seeded init goes through Math.log/cos, which may differ in the last bit
     * between JVMs and CPUs.
     */
    static void assertSameTensors(Path want, Path got, String what) {
        var a = SafeTensors.readHeader(want).entries();
        var b = SafeTensors.readHeader(got).entries();
        assertEquals(a.size(), b.size(), what + ": tensor count");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).name(), b.get(i).name(), what);
            assertEquals(a.get(i).dtype(), b.get(i).dtype(), what + " " + a.get(i).name());
            assertArrayEquals(a.get(i).shape(), b.get(i).shape(), what + " " + a.get(i).name());
            assertEquals(a.get(i).begin(), b.get(i).begin(), what + " " + a.get(i).name());
        }
        try (NDManager m = NDManager.newBaseManager()) {
            var x = SafeTensors.read(want, m);
            var y = SafeTensors.read(got, m);
            for (String name : x.keySet()) {
                float[] u = x.get(name).toFloatArray();
                float[] v = y.get(name).toFloatArray();
                for (int i = 0; i < u.length; i++) {
                    assertEquals(u[i], v[i], 1e-6, what + ": rlx no longer writes the " + name
                            + " transformers scored (rerun make_rm_fixtures.py if that is intended)");
                }
            }
        }
    }

    // ---- errors name the folder and what is wrong

    @Test
    void aRewardModelFolderIsNotACausalLmAndTheReverse() {
        var e = assertThrows(WeightsException.class, () -> HfModels.load(FIXTURES.resolve("rm_gpt2")));
        assertTrue(e.getMessage().contains("a reward model (GPT2ForSequenceClassification), not a causal language model"),
                e.getMessage());
        var r = assertThrows(WeightsException.class,
                () -> HfRewardModels.load(FIXTURES.resolve("gpt2"), ComputeConfig.defaults()));
        assertTrue(r.getMessage().contains("not a reward model (config.json names GPT2LMHeadModel"), r.getMessage());
    }

    @Test
    void aClassifierWithTwoLabelsIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = RlxSavedModelTest.copyFixture(tmp, "rm_llama");
        try (NDManager m = NDManager.newBaseManager()) {
            var t = SafeTensors.read(dir.resolve("model.safetensors"), m);
            t.put("score.weight", m.zeros(new Shape(2, 16)));
            SafeTensors.write(dir.resolve("model.safetensors"), t, null);
        }
        var e = assertThrows(WeightsException.class, () -> HfRewardModels.load(dir, ComputeConfig.defaults()));
        assertTrue(e.getMessage().contains("'score.weight' has shape (2, 16)")
                && e.getMessage().contains("2 labels; a reward model has num_labels 1"), e.getMessage());
    }

    @Test
    void aMissingScoreHeadIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = RlxSavedModelTest.copyFixture(tmp, "rm_qwen2");
        try (NDManager m = NDManager.newBaseManager()) {
            var t = SafeTensors.read(dir.resolve("model.safetensors"), m);
            t.remove("score.weight");
            SafeTensors.write(dir.resolve("model.safetensors"), t, null);
        }
        var e = assertThrows(WeightsException.class, () -> HfRewardModels.load(dir, ComputeConfig.defaults()));
        assertTrue(e.getMessage().contains("tensor 'score.weight' is missing"), e.getMessage());
    }
}
