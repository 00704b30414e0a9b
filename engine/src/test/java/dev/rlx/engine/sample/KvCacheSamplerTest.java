package dev.rlx.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import dev.rlx.engine.tokenizer.VocabTokenizer;
import dev.rlx.engine.weights.HfModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KvCacheSamplerTest {
    static final List<int[]> PROMPTS = List.of(new int[] {5, 9, 33}, new int[] {1, 2, 3, 4, 5, 6, 7}, new int[] {40});

    static CausalLM fixture(String name) {
        return HfModels.load(Path.of("src/test/resources/fixtures").resolve(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama", "qwen2"})
    void greedyWithAndWithoutCacheIsIdentical(String name) {
        try (CausalLM m = fixture(name)) {
            SamplingParams.Builder b = SamplingParams.builder().greedy(true).maxTokens(12);
            Generation cached = KvCacheSampler.generate(m, null, PROMPTS, b.build());
            Generation full = KvCacheSampler.generate(m, null, PROMPTS, b.useCache(false).build());
            for (int r = 0; r < PROMPTS.size(); r++) {
                assertArrayEquals(full.tokens()[r], cached.tokens()[r], name + " row " + r);
                for (int i = 0; i < cached.lengths()[r]; i++) {
                    assertEquals(full.logprobs()[r][i], cached.logprobs()[r][i], 1e-4);
                }
                assertEquals("length", cached.finishReasons()[r]);
            }
            // padding does not change a row: each prompt alone gives the same tokens as in the batch
            for (int r = 0; r < PROMPTS.size(); r++) {
                Generation alone = KvCacheSampler.generate(m, null, List.of(PROMPTS.get(r)), b.useCache(true).build());
                assertArrayEquals(cached.tokens()[r], alone.tokens()[0], name + " alone row " + r);
            }
            // top-k 1 is greedy
            Generation k1 = KvCacheSampler.generate(m, null, PROMPTS, SamplingParams.builder().topK(1).maxTokens(12).seed(3).build());
            assertArrayEquals(cached.tokens(), k1.tokens());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama"})
    void repeatedPromptsShareTheirPromptPassAndSampleAsWithoutIt(String name) {
        // the cached path runs each distinct prompt once and copies its keys/values; the uncached path does not
        List<int[]> group = List.of(PROMPTS.get(1), PROMPTS.get(0), PROMPTS.get(1).clone(), PROMPTS.get(2), PROMPTS.get(0));
        try (CausalLM m = fixture(name)) {
            SamplingParams.Builder b = SamplingParams.builder().maxTokens(6).temperature(1.3).seed(4);
            Generation shared = KvCacheSampler.generate(m, null, group, b.build());
            Generation full = KvCacheSampler.generate(m, null, group, b.useCache(false).build());
            assertArrayEquals(full.tokens(), shared.tokens());
            for (int r = 0; r < group.size(); r++) {
                for (int i = 0; i < shared.lengths()[r]; i++) {
                    assertEquals(full.logprobs()[r][i], shared.logprobs()[r][i], 1e-4, name + " row " + r);
                }
            }
            assertNotEquals(java.util.Arrays.toString(shared.tokens()[0]), java.util.Arrays.toString(shared.tokens()[2]),
                    "rows of one prompt draw their own noise");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama"})
    void rowsThatStopEarlyLeaveTheOthersSamplingAsBefore(String name) {
        // 3 prompts x 4 samples, several stop tokens: rows stop at different steps, so the cache drops finished
        // rows along the way; a pass without a cache (every row recomputed every step) draws the same noise
        try (CausalLM m = fixture(name)) {
            List<int[]> prompts = new java.util.ArrayList<>();
            for (int[] p : List.of(new int[] {1, 5, 9}, new int[] {1, 7}, new int[] {1, 2, 3, 4})) {
                for (int k = 0; k < 4; k++) prompts.add(p);
            }
            SamplingParams.Builder sp = SamplingParams.builder().maxTokens(16).temperature(1.0).seed(11)
                    .stopTokens(java.util.Set.of(3, 7, 11, 20, 33, 40, 51));
            Generation cached = KvCacheSampler.generate(m, null, prompts, sp.build());
            Generation full = KvCacheSampler.generate(m, null, prompts, sp.useCache(false).build());
            assertArrayEquals(full.tokens(), cached.tokens());
            assertArrayEquals(full.lengths(), cached.lengths());
            for (int r = 0; r < prompts.size(); r++) {
                for (int i = 0; i < cached.lengths()[r]; i++) {
                    assertEquals(full.logprobs()[r][i], cached.logprobs()[r][i], 1e-4, name + " row " + r);
                }
            }
            long early = java.util.Arrays.stream(cached.lengths()).filter(l -> l < 8).count();
            long late = java.util.Arrays.stream(cached.lengths()).filter(l -> l > 12).count();
            assertTrue(early >= 3 && late >= 1, "rows stop at different steps: " + java.util.Arrays.toString(cached.lengths()));
        }
    }

    @Test
    void distinctRowsMapsEachRowToTheFirstEqualPrompt() {
        int[] rowOf = new int[4];
        int[] firsts = KvCacheSampler.distinctRows(List.of(new int[] {1, 2}, new int[] {3}, new int[] {1, 2}, new int[] {3, 1}), rowOf);
        assertArrayEquals(new int[] {0, 1, 3}, firsts);
        assertArrayEquals(new int[] {0, 1, 0, 2}, rowOf);
    }

    @Test
    void seededSamplingIsReproducible() {
        try (CausalLM m = fixture("llama")) {
            SamplingParams p = SamplingParams.builder().maxTokens(10).temperature(1.5).topP(0.95).topK(40).seed(11).build();
            Generation a = KvCacheSampler.generate(m, null, PROMPTS, p);
            Generation b = KvCacheSampler.generate(m, null, PROMPTS, p);
            assertArrayEquals(a.tokens(), b.tokens());
            Generation c = KvCacheSampler.generate(m, null, PROMPTS,
                    SamplingParams.builder().maxTokens(10).temperature(1.5).seed(12).build());
            assertNotEquals(java.util.Arrays.deepToString(a.tokens()), java.util.Arrays.deepToString(c.tokens()));
            for (float[] row : a.logprobs()) {
                for (float x : row) {
                    assertTrue(x <= 0 && Float.isFinite(x));
                }
            }
        }
    }

    @Test
    void stopTokensStopStringsMaskAndFinishReasons() {
        VocabTokenizer tok = VocabTokenizer.chars("abcdefghij");
        ModelConfig cfg = ModelConfig.gpt().vocabSize(tok.vocabSize()).dim(16).layers(1).heads(2).context(64).build();
        try (CausalLM m = CausalLM.create(cfg, ComputeConfig.defaults(), 1)) {
            List<int[]> prompts = List.of(tok.encodeWithBos("abc"), tok.encodeWithBos("j"));
            Generation free = KvCacheSampler.generate(m, tok, prompts,
                    SamplingParams.builder().maxTokens(20).stopAtEos(false).seed(5).build());
            assertEquals(20, free.lengths()[0]);
            assertEquals("length", free.finishReasons()[0]);
            // stop at the 3rd generated token of row 0, whatever it is
            int third = free.tokens()[0][2];
            Generation stopped = KvCacheSampler.generate(m, tok, prompts,
                    SamplingParams.builder().maxTokens(20).stopAtEos(false).stopTokens(Set.of(third)).seed(5).build());
            int firstAt = 0;
            while (free.tokens()[0][firstAt] != third) {
                firstAt++;
            }
            assertEquals(firstAt + 1, stopped.lengths()[0]);
            assertEquals("stop", stopped.finishReasons()[0]);
            for (int i = 0; i < stopped.tokens()[0].length; i++) {
                assertEquals(i < stopped.lengths()[0] ? 1 : 0, stopped.mask()[0][i]);
            }
            // stop string: the text is cut before it
            String text = free.texts()[0];
            String stopStr = text.substring(text.length() - 2);
            Generation s = KvCacheSampler.generate(m, tok, prompts,
                    SamplingParams.builder().maxTokens(20).stopAtEos(false).stopStrings(List.of(stopStr)).seed(5).build());
            assertEquals("stop", s.finishReasons()[0]);
            assertEquals(text.substring(0, text.indexOf(stopStr)), s.texts()[0]);
        }
    }
}
