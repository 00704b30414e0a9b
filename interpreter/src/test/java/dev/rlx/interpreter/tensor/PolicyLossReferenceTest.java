package dev.rlx.interpreter.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.interpreter.api.RlxError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * std/loss's CISPO, SAPO, VESPO, LUSPO, the two-sided clip, and the off-policy and entropy masks against
 * values computed independently by interpreter/src/test/python/policy_losses.py (numpy, float64, written
 * from shared/REFERENCE.md, with gradients worked by hand; with torch and trl installed it also checks them
 * against torch autograd and TRL 1.13's own helpers). The literals below are that script's output.
 * Rows have lengths 3, 1, 5 and 2; advantages of both signs; padding holds junk that must not leak.
 */
class PolicyLossReferenceTest extends StdlibTestSupport {
    static final String[] POLICY_INPUTS = {
        "m4 = tensor([[1, 1, 1, 0, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1, 1], [1, 1, 0, 0, 0]])",
        "lp4 = tensor([[-0.5, -2.0, -1.0, -9.0, -9.0], [-0.1, -9.0, -9.0, -9.0, -9.0], "
                + "[-1.2, -0.3, -2.5, -0.8, -1.6], [-3.0, -0.05, -9.0, -9.0, -9.0]])",
        // log-ratios: 1.8 (rho 6.05), -0.2, 0.1 | 2.4 (rho 11.0) | -0.2, 0.1, -2.0, 0.1, -0.1 | -2.0, 0.15
        "old4 = tensor([[-2.3, -1.8, -1.1, 0.0, 0.0], [-2.5, 0.0, 0.0, 0.0, 0.0], "
                + "[-1.0, -0.4, -0.5, -0.9, -1.5], [-1.0, -0.2, 0.0, 0.0, 0.0]])",
        "a4 = tensor([1.5, -0.7, -1.2, 0.8])",
        "at4 = tensor([[1.0, -0.5, 2.0, 5.0, 5.0], [-0.7, 5.0, 5.0, 5.0, 5.0], "
                + "[0.3, -1.2, 0.0, 0.9, -0.4], [0.8, -2.0, 5.0, 5.0, 5.0]])",
        // sampling_logp - logp averages 1.0, 0.3, 0.8 and -0.3 over the rows; 0 at padding, as the batch has it
        "samp4 = tensor([[0.5, -0.5, -0.5, 0.0, 0.0], [0.2, 0.0, 0.0, 0.0, 0.0], "
                + "[-0.7, 0.7, -1.6, -0.2, -0.6], [-3.2, -0.45, 0.0, 0.0, 0.0]])",
        // masked entropies sorted: 0.05 0.1 0.2 0.3 0.4 0.6 0.7 0.9 0.9 1.1 1.3 (a tie at 0.9); 9.9 is padding
        "ent4 = tensor([[0.9, 0.1, 0.4, 9.9, 9.9], [1.3, 9.9, 9.9, 9.9, 9.9], "
                + "[0.2, 0.9, 0.05, 0.7, 0.3], [0.6, 1.1, 9.9, 9.9, 9.9]])",
    };

    @BeforeAll
    static void setUp() {
        open();
        for (String s : POLICY_INPUTS) {
            session.repl(s);
        }
    }

    @AfterAll
    static void tearDown() {
        close();
    }

    /** Element-wise to a relative tolerance, for gradients far below 1 that `near`'s absolute floor would hide. */
    private static void rel(String expr, double relTol, double... expected) {
        relClose(expr, relTol, 1e-9, expected);
    }

    private static String grad(String lossCall) {
        return "grad((x) => " + lossCall.replace("LOGP", "x") + ", lp4)";
    }

    @Test
    void twoSidedClipBoundsTheUnclippedTermAndDefaultsToPlainPpo() {
        near("loss.ppo_clip(lp4, old4, a4, m4).loss", 0.69757521);
        near("loss.ppo_clip(lp4, old4, a4, m4, delta: none).loss", 0.69757521);
        // row 1: A = -0.7 at rho 11.0 costs 0.7 * 11 without delta, 0.7 * 3 with it
        near("loss.ppo_clip(lp4, old4, a4, m4, delta: 3.0).loss", 0.18700944);
        near("loss.ppo_clip(lp4, old4, a4, m4, delta: 3.0).clip_frac", 0.18181818);
        near("loss.ppo_clip(lp4, old4, at4, m4, delta: 3.0).loss", 0.16020826);
        near("loss.ppo_clip(lp4, old4, at4, m4, delta: 3.0).clip_frac", 0.09090909);
    }

    @Test
    void cispoClipsTheWeightNotTheGradient() {
        near("loss.cispo(lp4, old4, a4, m4).loss", 0.2821941);
        near("loss.cispo(lp4, old4, a4, m4).clip_frac", 0.09090909);   // row 0, rho 6.05 > 5 with A > 0
        near("loss.cispo(lp4, old4, a4, m4).approx_kl", -0.01363636);
        // w = sg(min(rho, 5)): every token keeps the gradient -w * A / N, the clipped ones included
        rel(grad("loss.cispo(LOGP, old4, a4, m4)"), 1e-4,
                -0.68181818, -0.1116451, -0.15070513, 0, 0, 0.31818182, 0, 0, 0, 0,
                0.08931608, 0.1205641, 0.01476385, 0.1205641, 0.09870954, -0.00984257, -0.08449704, 0, 0, 0);
        near("loss.cispo(lp4, old4, at4, m4, eps_high: 1.2).loss", 0.20270373);
        near("loss.cispo(lp4, old4, at4, m4, eps_high: 1.2).clip_frac", 0.09090909);
        rel(grad("loss.cispo(LOGP, old4, at4, m4, eps_high: 1.2)"), 1e-4,
                -0.10909091, 0.03721503, -0.20094017, 0, 0, 0.07636364, 0, 0, 0, 0,
                -0.02232902, 0.1205641, 0, -0.09042308, 0.03290318, -0.00984257, 0.21124259, 0, 0, 0);
    }

    @Test
    void sapoSoftGate() {
        near("loss.sapo(lp4, old4, a4, m4).loss", -0.13649735);
        near("loss.sapo(lp4, old4, a4, m4).gate", 0.78579895);
        // row 1's gate 4 s (1 - s) at s = 1 - 2.7e-5 keeps only 3 digits in float32 (as in torch)
        rel(grad("loss.sapo(LOGP, old4, a4, m4)"), 3e-3,
                -0.01914762, -0.10150523, -0.13776506, 0, 0, 0.00020736, 0, 0, 0, 0,
                0.04868162, 0.06610851, 0.00665246, 0.06610851, 0.05415496, -0.01128875, -0.11542601, 0, 0, 0);
        near("loss.sapo(lp4, old4, at4, m4, tau_pos: 2.0, tau_neg: 0.5).loss", 2.47174763);
        near("loss.sapo(lp4, old4, at4, m4, tau_pos: 2.0, tau_neg: 0.5).gate", 0.76672489);
    }

    @Test
    void vespoGammaWeightsPerSequenceOrToken() {
        near("loss.vespo(lp4, old4, a4, m4).loss", 0.06133303);
        near("loss.vespo(lp4, old4, a4, m4).phi_mean", 0.08012609);
        // phi per sequence 4.44e-5, 2.64e-6, 1.06e-2, 0.310: the gradient -phi * A / N, constant over a row
        rel(grad("loss.vespo(LOGP, old4, a4, m4)"), 1e-4,
                -6.05714289e-06, -6.05714289e-06, -6.05714289e-06, 0, 0, 1.67727872e-07, 0, 0, 0, 0,
                1.15866526e-03, 1.15866526e-03, 1.15866526e-03, 1.15866526e-03, 1.15866526e-03,
                -2.25335420e-02, -2.25335420e-02, 0, 0, 0);
        near("loss.vespo(lp4, old4, at4, m4).loss", 0.08499594);
        near("loss.vespo(lp4, old4, at4, m4).phi_mean", 0.09084073);
        // lambda_neg 0 is floored at 1e-4
        near("loss.vespo(lp4, old4, a4, m4, k_pos: 1.0, lambda_pos: 5.0, k_neg: 1.0, lambda_neg: 0.0).loss", 2.20266163);
        near("loss.vespo(lp4, old4, a4, m4, k_pos: 1.0, lambda_pos: 5.0, k_neg: 1.0, lambda_neg: 0.0).phi_mean", 5.44150616);
    }

    @Test
    void luspoWeightsEachSequenceByItsLength() {
        near("loss.luspo(lp4, old4, a4, m4).loss", 1.6204433);
        near("loss.luspo(lp4, old4, a4, m4).clip_frac", 0.72727273);
        // the gradient flows through s_i itself (no per-token trick), and only in the rows the clip leaves
        rel(grad("loss.luspo(LOGP, old4, a4, m4)"), 1e-4,
                0, 0, 0, 0, 0, 1.92905587, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.07930628, -0.07930628, 0, 0, 0);
        near("loss.luspo(lp4, old4, at4, m4, eps_low: 0.5, eps_high: 0.5).loss", 1.26075209);
        near("loss.luspo(lp4, old4, at4, m4, eps_low: 0.5, eps_high: 0.5).clip_frac", 0.27272727);
    }

    @Test
    void offPolicySequenceMask() {
        // per-row KL 1.0, 0.3, 0.8, -0.3: rows 0 and 3 stay (A >= 0) whatever their KL
        near("loss.opsm_mask(a4, lp4, samp4, m4, 0.5)", 1, 1, 0, 1);
        near("loss.opsm_mask(a4, lp4, samp4, m4, 0.2)", 1, 0, 0, 1);
        near("loss.opsm_mask(tensor([0.0, -0.7, -1.2, 0.8]), lp4, samp4, m4, 0.2)", 1, 0, 0, 1);
        near("loss.opsm_mask(at4, lp4, samp4, m4, 0.5)",
                1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1);
        // the mask has no gradient path to logp
        near("grad((x) => sum(loss.opsm_mask(a4, x, samp4, m4, 0.5)) + 0.0 * sum(x), lp4)", new double[20]);
    }

    @Test
    void entropyMaskKeepsTheTopShareTiesIncluded() {
        // q = 0.8 of 11 values: position 8.0 = 0.9, held by two tokens, so 4 of 11 are kept
        near("loss.entropy_mask(ent4, m4)", 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0);
        // q = 0.65: position 6.5, halfway between 0.7 and 0.9
        near("masked_quantile(ent4, m4, 0.65)", 0.8);
        near("loss.entropy_mask(ent4, m4, top: 0.35)", 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0);
        near("loss.entropy_mask(ent4, m4, top: 0.5)", 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0);
        near("loss.entropy_mask(ent4, m4, top: 1.0)", eval("astype(m4, \"float32\")"));
        near("loss.entropy_mask(ent4, m4, top: 0.0)", 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        RlxError e = assertThrows(RlxError.class, () -> eval("loss.entropy_mask(ent4, m4, top: 1.5)"));
        assertTrue(e.getMessage().contains("loss.entropy_mask: top must lie in [0, 1], got 1.5"), e.getMessage());
    }

    @Test
    void keepDropsTokenLossesButNotTheirShareOfTheDenominator() {
        // TRL's normalization: dropped tokens add 0 to sum(L * m * keep) / sum(m)
        near("loss.ppo_clip(lp4, old4, a4, m4, keep: loss.entropy_mask(ent4, m4)).loss", 0.57390556);
        near("loss.ppo_clip(lp4, old4, a4, m4, keep: loss.entropy_mask(ent4, m4)).clip_frac", 0.18181818);
        near("loss.cispo(lp4, old4, a4, m4, keep: loss.opsm_mask(a4, lp4, samp4, m4, 0.5)).loss", 0.71683879);
        // multiplied into the mask instead, the loss is a mean over the kept tokens only
        near("loss.ppo_clip(lp4, old4, a4, m4 * loss.entropy_mask(ent4, m4)).loss", 1.57824029);
        // keep = all ones changes nothing
        near("loss.sapo(lp4, old4, a4, m4, keep: ones([4])).loss", -0.13649735);
        near("loss.luspo(lp4, old4, a4, m4, keep: ones([4, 5])).loss", 1.6204433);
        near("loss.gspo(lp4, old4, a4, m4, keep: ones([4])).loss", eval("loss.gspo(lp4, old4, a4, m4).loss"));
        near("loss.vespo(lp4, old4, a4, m4, keep: ones([4])).loss", 0.06133303);
    }

    @Test
    void helpShowsEachFormula() {
        String[][] expected = {
            {"loss.cispo", "loss.cispo(logp, old_logp, advantages, mask, eps_high = 5.0", "w = sg(min(rho, eps_high))"},
            {"loss.sapo", "loss.sapo(logp, old_logp, advantages, mask, tau_pos = 1.0, tau_neg = 1.05",
                "L_t = -(4 / tau) * sigmoid(tau * (rho - 1)) * A"},
            {"loss.vespo", "loss.vespo(logp, old_logp, advantages, mask, k_pos = 2.0, lambda_pos = 3.0",
                "phi = sg(exp(lam + k * log w - lam * w))"},
            {"loss.luspo", "loss.luspo(logp, old_logp, advantages, mask, eps_low = 0.2, eps_high = 0.2",
                "loss = mean_i sum_t m * l"},
            {"loss.ppo_clip", "loss.ppo_clip(logp, old_logp, advantages, mask,", "the unclipped term uses min(rho, d)"},
            {"loss.opsm_mask", "loss.opsm_mask(advantages, logp, sampling_logp, mask, threshold)",
                "keep = 1 where A >= 0 or kl_i <= threshold"},
            {"loss.entropy_mask", "loss.entropy_mask(entropy, mask, top = 0.2)", "thr = quantile(entropy over the mask, 1 - top)"},
        };
        for (String[] h : expected) {
            String help = session.help(h[0]);
            assertTrue(help.startsWith(h[1]), h[0] + ":\n" + help);
            assertTrue(help.contains(h[2]), h[0] + ":\n" + help);
            assertTrue(help.contains("Source:"), h[0] + ":\n" + help);
        }
    }
}
