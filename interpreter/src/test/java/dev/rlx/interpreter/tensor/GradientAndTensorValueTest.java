package dev.rlx.interpreter.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gradients of the stdlib losses against central finite differences (float64), and tensor values. */
class GradientAndTensorValueTest extends StdlibTestSupport {
    @BeforeAll
    static void setUp() {
        open();
        session.repl("lp64 = astype(logp, \"float64\")");
        session.repl("old64 = astype(old, \"float64\")");
        session.repl("v64 = astype(values, \"float64\")");
    }

    @AfterAll
    static void tearDown() {
        close();
    }

    /**
     * Compares grad(f, x) with (f(x + h e_k) - f(x - h e_k)) / 2h for every element k of the [3,4]
     * float64 tensor x; f is an .rlx lambda text returning a loss record or scalar tensor.
     */
    private static void checkAgainstFiniteDifferences(String f, String x) {
        double[] g = eval("grad(" + f + ", " + x + ")");
        double h = 1e-6;
        for (int k = 0; k < g.length; k++) {
            String e = "reshape(astype(arange(12) == " + k + ", \"float64\"), [3, 4]) * " + h;
            double up = eval("item(sum(scalar_of(" + f + ", " + x + " + " + e + ")))")[0];
            double down = eval("item(sum(scalar_of(" + f + ", " + x + " - " + e + ")))")[0];
            double fd = (up - down) / (2 * h);
            assertTrue(Math.abs(fd - g[k]) <= 1e-5 * Math.max(1, Math.abs(fd)),
                    f + ": d/dx[" + k + "] grad " + g[k] + " vs finite difference " + fd);
        }
    }

    @Test
    void ppoClipGradientsMatchFiniteDifferences() {
        session.repl("scalar_of(f, x) = let out = f(x) in if type(out) == \"tensor\" then out else out.loss");
        checkAgainstFiniteDifferences("(x) => loss.ppo_clip(x, old64, adv_b, m)", "lp64");
        checkAgainstFiniteDifferences("(x) => loss.ppo_clip(x, old64, tensor([1.0, -2.0, 0.5]), m, eps_low: 0.1, eps_high: 0.3, dual_clip: 1.5, agg: \"seq-mean-token-mean\")", "lp64");
        checkAgainstFiniteDifferences("(x) => loss.ppo_clip(x, old64, adv_b, m, agg: \"seq-mean-token-sum-norm\")", "lp64");
        checkAgainstFiniteDifferences("(x) => loss.kl(x, ref, m, agg: \"seq-mean-token-sum\")", "lp64");
        checkAgainstFiniteDifferences("(x) => loss.kl(x, ref, m, estimator: \"k2\")", "lp64");
        checkAgainstFiniteDifferences("(x) => loss.entropy_bonus(x * x, m, 0.1)", "lp64");
        checkAgainstFiniteDifferences("(v) => loss.value(v, v64 + 0.3, v64 * 2 - 0.2, m, clip: 0.2)", "v64");
        // GSPO with one advantage per sequence: the token-level form has the sequence-level gradient
        checkAgainstFiniteDifferences("(x) => loss.gspo(x, old64, adv_b, m)", "lp64");
    }

    @Test
    void gspoStopGradientIsReal() {
        // With per-token advantages the stop-gradient matters: d loss / d logp[i,t] = -A[i,t] * s_i / (B * L_i)
        // (unclipped), whereas differentiating the value alone would spread mean_t A over the row.
        session.repl("A_tok = tensor([[1.0, -1.0, 2.0, 0.0], [0.5, 1.5, 0.0, 0.0], [-1.0, 0.0, 1.0, 3.0]], dtype: \"float64\")");
        session.repl("old_near = lp64 - 0.01 * m");
        double[] g = eval("grad((x) => loss.gspo(x, old_near, A_tok, m, eps_low: 0.5, eps_high: 0.5), lp64)");
        double s = Math.exp(0.01);
        double[][] a = {{1, -1, 2, 0}, {0.5, 1.5, 0, 0}, {-1, 0, 1, 3}};
        int[] len = {3, 2, 4};
        for (int i = 0; i < 3; i++) {
            for (int t = 0; t < 4; t++) {
                double expected = t < len[i] ? -a[i][t] * s / (3.0 * len[i]) : 0.0;
                assertEquals(expected, g[i * 4 + t], 1e-9, "d/dlogp[" + i + "," + t + "]");
            }
        }
        near("grad((x) => sum(stop_gradient(x) * x), tensor([1.0, 2.0]))", 1.0, 2.0);
        near("grad((x) => sum(stop_gradient(x)), tensor([1.0, 2.0]))", 0.0, 0.0);
    }

    @Test
    void dpoGradient() {
        near("grad((c) => loss.dpo(c, tensor([-2.0]), tensor([-1.5]), tensor([-1.5])), tensor([-1.0]))",
                -0.1 * (1 - 1 / (1 + Math.exp(-0.1 * 1.0))));  // h = 0.5 - (-0.5) = 1
    }

    @Test
    void tensorValuesOperatorsAndMembers() {
        assertEquals("[[3.0, 5.0], [7.0, 9.0]]", RlxSession.json(session.eval("tensor([[1,2],[3,4]]) * 2 + 1")));
        assertEquals("[[false, true], [true, true]]", RlxSession.json(session.eval("1 < tensor([[1,2],[3,4]])")));
        assertEquals("[2, 3]", RlxSession.json(session.eval("zeros([2, 3]).shape")));
        assertEquals("\"float64\"", RlxSession.json(session.eval("tensor([1], dtype: \"float64\").dtype")));
        assertEquals("[3.0, 4.0]", RlxSession.json(session.eval("tensor([[1,2],[3,4]])[-1]")));
        assertEquals("[[3.0, 4.0]]", RlxSession.json(session.eval("tensor([[1,2],[3,4]])[1:]")));
        assertEquals("[4.0, 6.0]", RlxSession.json(session.eval("sum(tensor([[1,2],[3,4]]), axis: 0)")));
        assertEquals("[[3.0], [7.0]]", RlxSession.json(session.eval("sum(tensor([[1,2],[3,4]]), axis: 1, keep: true)")));
        assertEquals("6", RlxSession.json(session.eval("sum([1, 2, 3])")));
        assertEquals("4.0", RlxSession.json(session.eval("max(tensor([[1,2],[3,4]]))")));
        assertEquals("[2.0, 4.0]", RlxSession.json(session.eval("amax(tensor([[1,2],[3,4]]), axis: 1)")));
        assertEquals("[0.0, 2.0]", RlxSession.json(session.eval("clamp(tensor([-1, 2]), lo: 0)")));
        assertEquals("3", RlxSession.json(session.eval("max(1, 3, 2)")));
        assertEquals("[[1.0, 3.0], [2.0, 4.0]]", RlxSession.json(session.eval("transpose(tensor([[1,2],[3,4]]))")));
        assertEquals("[[2.0], [3.0]]", RlxSession.json(session.eval("gather(tensor([[1,2],[3,4]]), tensor([[1],[0]]))")));
        assertEquals("[3.0, 2.0, 1.0]", RlxSession.json(session.eval("flip(cumsum(ones(3)))")));
        assertEquals("[[1.0, 2.0], [0.0, 0.0]]", RlxSession.json(session.eval("stack([tensor([1,2]), zeros(2)])")));
        assertEquals("[1.0, 0.0, 5.0]", RlxSession.json(session.eval("where(tensor([1, 0, 2]) > 0, tensor([1, 9, 5]), 0)")));
        assertTrue(session.eval("tensor([1, 2])") instanceof TensorValue t && t.display().startsWith("tensor("));
    }

    @Test
    void shapeErrorsNameBothShapesAndTheLocation() {
        RlxError e = assertThrows(RlxError.class, () -> session.eval("tensor([1, 2, 3]) + tensor([1, 2])"));
        assertTrue(e.getMessage().contains("[3] and [2]") && e.getMessage().contains("<eval>:1:1"), e.getMessage());
        RlxError w = assertThrows(RlxError.class, () -> session.eval("credit.whiten(tensor([1.0, 2.0]), tensor([1, 1, 1]))"));
        assertTrue(w.getMessage().contains("[2] and [3]") && w.getMessage().contains("std/credit.rlx"), w.getMessage());
        RlxError g = assertThrows(RlxError.class, () -> session.eval("credit.grpo(tensor([1.0, 2.0, 3.0]), group: 2)"));
        assertTrue(g.getMessage().contains("not a multiple of group 2"), g.getMessage());
        RlxError s = assertThrows(RlxError.class, () -> session.eval("credit.grpo(scores6, 3, scale: \"grp\")"));
        assertTrue(s.getMessage().contains("scale must be"), s.getMessage());
    }
}
