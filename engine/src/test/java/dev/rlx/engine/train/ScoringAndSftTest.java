package dev.rlx.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import dev.rlx.engine.sample.Generation;
import dev.rlx.engine.sample.KvCacheSampler;
import dev.rlx.engine.sample.SamplingParams;
import dev.rlx.engine.tokenizer.VocabTokenizer;
import dev.rlx.engine.weights.HfModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoringAndSftTest {
    static final List<int[]> PROMPTS = List.of(new int[] {5, 9, 33}, new int[] {1, 2, 3, 4, 5, 6, 7}, new int[] {40});

    @Test
    void scoringMatchesSamplerLogProbsAndEntropyIsMasked() {
        for (String name : List.of("gpt2", "llama")) {
            try (CausalLM m = HfModels.load(Path.of("src/test/resources/fixtures").resolve(name))) {
                Generation g = KvCacheSampler.generate(m, null, PROMPTS,
                        SamplingParams.builder().maxTokens(8).temperature(0.7).seed(2).stopTokens(java.util.Set.of(7)).build());
                try (NDManager sm = m.manager().newSubManager()) {
                    ScoreBatch b = ScoreBatch.of(sm, PROMPTS, g.tokens(), g.mask(), 0, m.dataType());
                    Scorer.TokenStats st = Scorer.stats(m, b, 0.7, false, true);
                    float[] lp = st.logprobs().toFloatArray();
                    float[] ent = st.entropy().toFloatArray();
                    int t = g.tokens()[0].length;
                    for (int r = 0; r < PROMPTS.size(); r++) {
                        for (int i = 0; i < t; i++) {
                            assertEquals(g.logprobs()[r][i], lp[r * t + i], 1e-4, name + " row " + r + " pos " + i);
                            if (g.mask()[r][i] == 0) {
                                assertEquals(0f, ent[r * t + i]);
                            } else {
                                assertTrue(ent[r * t + i] > 0);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void valueAndRewardHeadsAndGradients() {
        ModelConfig cfg = ModelConfig.llama().vocabSize(32).dim(16).layers(1).heads(2).context(32).build();
        try (CausalLM m = CausalLM.create(cfg, ComputeConfig.defaults(), 3); ScalarHead head = new ScalarHead(m, 4)) {
            head.setTrainable(true);
            try (NDManager sm = m.manager().newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                int[][] resp = {{4, 5, 6}, {7, 8, 0}};
                byte[][] mask = {{1, 1, 1}, {1, 1, 0}};
                ScoreBatch b = ScoreBatch.of(sm, List.of(new int[] {1, 2}, new int[] {3}), resp, mask, 0, m.dataType());
                NDArray v = head.values(b);
                assertArrayEquals(new long[] {2, 3}, v.getShape().getShape());
                assertEquals(0f, v.toFloatArray()[5]);
                NDArray s = head.scores(b);
                assertArrayEquals(new long[] {2}, s.getShape().getShape());
                // the score of row 1 is read at its last real token: changing the padded tail changes nothing
                ScoreBatch b2 = ScoreBatch.of(sm, List.of(new int[] {1, 2}, new int[] {3}), new int[][] {{4, 5, 6}, {7, 8, 9}},
                        mask, 0, m.dataType());
                assertEquals(s.toFloatArray()[1], head.scores(b2).toFloatArray()[1], 1e-6);
                gc.backward(v.sum().add(s.sum()));
                NDArray g = head.parameters().get("score.weight").getGradient();
                assertTrue(g.abs().sum().getFloat() > 0);
                NDArray g2 = m.parameters().get("model.embed_tokens.weight").getGradient();
                assertTrue(g2.abs().sum().getFloat() > 0, "gradient reaches the backbone");
            }
        }
    }

    @Test
    void sftLearnsACopyTaskAndLeavesTheInputAndReferenceUntouched() {
        VocabTokenizer tok = VocabTokenizer.chars("abcd=");
        ModelConfig cfg = ModelConfig.gpt().vocabSize(tok.vocabSize()).dim(32).layers(2).heads(4).context(16).build();
        List<SftTrainer.Example> data = new ArrayList<>();
        String[] words = {"ab", "ba", "cd", "dc", "ac", "bd", "ca", "db"};
        for (String w : words) {
            data.add(new SftTrainer.Example(tok.encodeWithBos(w + "="), concat(tok.encode(w), new int[] {tok.eosId()})));
        }
        try (CausalLM base = CausalLM.create(cfg, ComputeConfig.defaults(), 7); CausalLM ref = base.frozenCopy()) {
            float[] before = base.logits(tok.encodeWithBos("ab="))[2];
            List<Double> losses = new ArrayList<>();
            SftConfig sc = SftConfig.builder().steps(150).lr(3e-3).batch(8).warmupSteps(10).build();
            try (CausalLM trained = SftTrainer.train(base, data, sc, tok.padId(), i -> losses.add(i.loss()))) {
                assertTrue(losses.get(losses.size() - 1) < 0.1 * losses.get(0), "loss " + losses.get(0) + " -> " + losses.getLast());
                Generation g2 = KvCacheSampler.generate(trained, tok, List.of(tok.encodeWithBos("ab="), tok.encodeWithBos("dc=")),
                        SamplingParams.builder().greedy(true).maxTokens(4).build());
                assertEquals("ab", g2.texts()[0]);
                assertEquals("dc", g2.texts()[1]);
                assertEquals("stop", g2.finishReasons()[0]);
                assertNotEquals(before[0], trained.logits(tok.encodeWithBos("ab="))[2][0]);
            }
            assertArrayEquals(before, base.logits(tok.encodeWithBos("ab="))[2], "sft trains a copy");
            assertArrayEquals(before, ref.logits(tok.encodeWithBos("ab="))[2], "frozen reference unchanged");
            assertTrue(ref.parameters().values().stream().noneMatch(a -> a.hasGradient()));
        }
    }

    @Test
    void schedules() {
        LrSchedule c = LrSchedule.warmupCosine(1.0, 10, 110, 0.1);
        assertEquals(0.1, c.lr(0), 1e-12);
        assertEquals(1.0, c.lr(9), 1e-12);
        assertEquals(0.55, c.lr(60), 1e-9);
        assertEquals(0.1, c.lr(110), 1e-12);
        assertEquals(0.5, LrSchedule.constant(0.5, 0).lr(1000));
    }

    /** 1,000 small SFT steps: no arrays pile up in any manager and resident memory stays flat. */
    @Test
    void memoryStaysFlatOver1000Steps() throws Exception {
        VocabTokenizer tok = VocabTokenizer.chars("abcd=");
        ModelConfig cfg = ModelConfig.gpt().vocabSize(tok.vocabSize()).dim(16).layers(1).heads(2).context(8).build();
        List<SftTrainer.Example> data = List.of(new SftTrainer.Example(tok.encodeWithBos("ab="), tok.encode("ab")),
                new SftTrainer.Example(tok.encodeWithBos("c="), tok.encode("dd")));
        long[] arrays = new long[2];
        long[] rss = new long[2];
        SftConfig sc = SftConfig.builder().steps(1000).lr(1e-3).batch(4).build();
        try (CausalLM base = CausalLM.create(cfg, ComputeConfig.defaults(), 1)) {
            int baseArrays = base.manager().getManagedArrays().size();
            try (CausalLM t = SftTrainer.train(base, data, sc, 0, i -> {
                if (i.step() == 100 || i.step() == 999) {
                    int k = i.step() == 100 ? 0 : 1;
                    arrays[k] = i.model().manager().getManagedArrays().size();
                    System.gc(); // the Java heap grows too: count native memory only
                    rss[k] = rssKb() - Runtime.getRuntime().totalMemory() / 1024;
                }
            })) {
                assertEquals(arrays[0], arrays[1], "arrays held by the trained model's manager");
                assertTrue(rss[1] - rss[0] < 20_000, "native memory (RSS - Java heap) grew by " + (rss[1] - rss[0]) + " KiB over 900 steps");
                int afterTraining = t.manager().getManagedArrays().size();
                for (int i = 0; i < 200; i++) {
                    KvCacheSampler.generate(t, tok, List.of(tok.encodeWithBos("a"), tok.encodeWithBos("ab=")),
                            SamplingParams.builder().maxTokens(4).seed(i).build());
                }
                assertEquals(afterTraining, t.manager().getManagedArrays().size(), "sampling leaves nothing behind");
            }
            assertEquals(baseArrays, base.manager().getManagedArrays().size());
        }
    }

    static long rssKb() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/status"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String line : lines) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    static int[] concat(int[] a, int[] b) {
        int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
