package dev.rlx.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.KvCache;
import dev.rlx.engine.weights.HfModels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two-pass forward of {@link ScoreBatch.SharedPrompts} computes what the one-pass forward computes: the same
 * log-probs and entropies at every response position and the same parameter gradients, up to float rounding.
 */
class SharedPromptsTest {
    // three distinct prompts of different lengths, repeated out of order (a group need not be contiguous)
    static final List<int[]> PROMPTS = List.of(new int[] {5, 9, 33}, new int[] {1, 2, 3, 4, 5, 6, 7}, new int[] {5, 9, 33},
            new int[] {40}, new int[] {1, 2, 3, 4, 5, 6, 7}, new int[] {40}, new int[] {5, 9, 33});
    static final int[][] RESPONSES = {{11, 12, 13, 14}, {21, 22, 0, 0}, {31, 0, 0, 0}, {41, 42, 43, 0}, {51, 52, 53, 54},
            {61, 62, 0, 0}, {17, 27, 37, 0}};
    static final byte[][] MASK = {{1, 1, 1, 1}, {1, 1, 0, 0}, {1, 0, 0, 0}, {1, 1, 1, 0}, {1, 1, 1, 1}, {1, 1, 0, 0},
            {1, 1, 1, 0}};

    @Test
    void twoPassesGiveTheOnePassLogProbsEntropiesAndGradients() {
        for (String name : List.of("gpt2", "llama", "qwen2")) {
            try (CausalLM m = HfModels.load(Path.of("src/test/resources/fixtures").resolve(name))) {
                m.setTrainable(true);
                Run one = run(m, RESPONSES, MASK, false);
                Run two = run(m, RESPONSES, MASK, true);
                assertClose(one.logp, two.logp, 1e-5, name + " logp");
                assertClose(one.entropy, two.entropy, 1e-5, name + " entropy");
                for (String p : one.grads.keySet()) {
                    float[] a = one.grads.get(p);
                    float[] b = two.grads.get(p);
                    double scale = 1e-6;
                    for (float v : a) scale = Math.max(scale, Math.abs(v));
                    assertClose(a, b, 1e-4 * scale, name + " grad " + p);
                }
            }
        }
    }

    /**
     * Copying a prompt's rows to the rows that share it must have a deterministic backward: the gradient of a
     * repeated row is the float sum of its copies' gradients in index order, bit for bit (advanced indexing summed
     * them with parallel atomic adds on the CPU, in an order that changed from run to run), and the forward is
     * the plain copy.
     */
    @Test
    void repeatedRowsSumTheirGradientsInIndexOrder() {
        int q = 3;
        int inner = 4 * 6 * 16;
        long[] rows = new long[96];
        for (int r = 0; r < rows.length; r++) rows[r] = (r * 7 + r / 5) % q;
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(3);
            NDArray x = m.randomNormal(new Shape(q, 4, 6, 16));
            NDArray w = m.randomNormal(new Shape(rows.length, 4, 6, 16));
            NDArray idx = m.create(rows);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = KvCache.rows(x, idx);
                float[] copied = y.toFloatArray();
                float[] source = x.toFloatArray();
                for (int r = 0; r < rows.length; r++) {
                    for (int i = 0; i < inner; i++) {
                        assertEquals(source[(int) rows[r] * inner + i], copied[r * inner + i], 0.0, "row " + r);
                    }
                }
                gc.backward(y.mul(w).sum());
            }
            float[] grad = x.getGradient().toFloatArray();
            float[] ws = w.toFloatArray();
            float[] want = new float[q * inner];
            for (int r = 0; r < rows.length; r++) {
                for (int i = 0; i < inner; i++) want[(int) rows[r] * inner + i] += ws[r * inner + i];
            }
            for (int i = 0; i < want.length; i++) assertEquals(want[i], grad[i], 0.0, "element " + i);
        }
    }

    @Test
    void oneResponseTokenNeedsOnlyThePromptPass() {
        int[][] resp = new int[PROMPTS.size()][];
        byte[][] mask = new byte[PROMPTS.size()][];
        for (int r = 0; r < resp.length; r++) {
            resp[r] = new int[] {10 + r};
            mask[r] = new byte[] {1};
        }
        try (CausalLM m = HfModels.load(Path.of("src/test/resources/fixtures/gpt2"))) {
            m.setTrainable(true);
            assertClose(run(m, resp, mask, false).logp, run(m, resp, mask, true).logp, 1e-5, "T = 1");
        }
    }

    @Test
    void noLayoutWhenNoPromptRepeatsOrWhenNotAskedFor() {
        try (CausalLM m = HfModels.load(Path.of("src/test/resources/fixtures/gpt2")); NDManager sm = m.manager().newSubManager()) {
            List<int[]> distinct = List.of(new int[] {1, 2}, new int[] {3});
            assertNull(ScoreBatch.of(sm, distinct, new int[][] {{4}, {5}}, null, 0, m.dataType(), true).shared());
            assertNull(ScoreBatch.of(sm, PROMPTS, RESPONSES, MASK, 0, m.dataType(), false).shared());
            ScoreBatch.SharedPrompts s = ScoreBatch.of(sm, PROMPTS, RESPONSES, MASK, 0, m.dataType(), true).shared();
            assertNotNull(s);
            assertEquals(3, s.promptTokens().getShape().get(0));
            assertEquals(List.of(0L, 1L, 0L, 2L, 1L, 2L, 0L), java.util.Arrays.stream(s.rowOf().toLongArray()).boxed().toList());
            assertEquals(3, s.responseTokens().getShape().get(1), "the last response token is not fed");
        }
    }

    private record Run(float[] logp, float[] entropy, Map<String, float[]> grads) {}

    private static Run run(CausalLM m, int[][] resp, byte[][] mask, boolean share) {
        try (NDManager sm = m.manager().newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            ScoreBatch b = ScoreBatch.of(sm, PROMPTS, resp, mask, 0, m.dataType(), share);
            assertEquals(share, b.shared() != null);
            Scorer.TokenStats st = Scorer.stats(m, b, 0.9, true, true);
            // a loss that weighs every response position differently, so a mixed-up row or position shows
            float[] w = new float[resp.length * resp[0].length];
            for (int i = 0; i < w.length; i++) w[i] = 0.3f + 0.1f * (i % 7);
            NDArray weights = sm.create(w, st.logprobs().getShape());
            gc.backward(st.logprobs().mul(weights).sum().add(st.entropy().sum()));
            Map<String, float[]> grads = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : m.parameters().entrySet()) {
                NDArray g = e.getValue().getGradient();
                grads.put(e.getKey(), g.toFloatArray());
                g.subi(g); // zero for the next run
            }
            return new Run(st.logprobs().toFloatArray(), st.entropy().toFloatArray(), grads);
        }
    }

    private static void assertClose(float[] a, float[] b, double tol, String what) {
        assertEquals(a.length, b.length, what);
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        assertTrue(worst <= tol, what + ": largest difference " + worst + " > " + tol);
    }
}
