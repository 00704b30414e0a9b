package dev.rlx.interpreter.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.interpreter.api.RlxError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * std/loss's GMPO, GVPO and QRPO and std/credit's reward_quantiles and kimi_length_reward against values computed
 * independently by interpreter/src/test/python/policy_losses.py (numpy, float64, loops over rows and groups written
 * from shared/REFERENCE.md; gradients worked by hand and checked there against central differences). The literals
 * below are that script's output. The 4-row inputs are PolicyLossReferenceTest's (lengths 3, 1, 5, 2); the 6-row
 * ones have lengths 4 2 3 | 1 4 3 (groups of 3 or of 2); padding holds junk that must not leak.
 */
class FoundingMethodsReferenceTest extends StdlibTestSupport {
    static final String[] INPUTS = {
        "m6 = tensor([[1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 0], [1, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 0]])",
        "lp6 = tensor([[-0.4, -1.1, -0.9, -2.0], [-1.5, -0.3, -7.0, -7.0], [-0.8, -0.6, -1.9, -7.0], "
                + "[-2.2, -7.0, -7.0, -7.0], [-0.1, -0.5, -1.3, -0.7], [-1.0, -0.2, -0.6, -7.0]])",
        "old6 = tensor([[-0.6, -1.0, -1.2, -1.5], [-1.1, -0.5, 3.0, 3.0], [-0.9, -0.9, -1.4, 3.0], "
                + "[-1.7, 3.0, 3.0, 3.0], [-0.3, -0.4, -1.0, -1.1], [-0.7, -0.6, -0.5, 3.0]])",
        // centered in each group of 3 (Dr. GRPO advantages), and not centered
        "a6 = tensor([0.5, -0.8, 0.3, -0.4, -0.2, 0.6])",
        "a6u = tensor([1.0, -0.5, 0.2, 0.7, -0.1, 0.0])",
        // token advantages whose mean over each row's mask is a6; 5.0 at padding
        "at6 = tensor([[0.4, 0.6, 0.5, 0.5], [-0.8, -0.8, 5.0, 5.0], [0.1, 0.5, 0.3, 5.0], "
                + "[-0.4, 5.0, 5.0, 5.0], [-0.2, -0.3, -0.1, -0.2], [0.6, 0.9, 0.3, 5.0]])",
        "ref4 = tensor([[-0.7, -1.5, -1.3, 2.0, 2.0], [-0.4, 2.0, 2.0, 2.0, 2.0], "
                + "[-1.0, -0.6, -2.0, -1.0, -1.2], [-2.5, -0.3, 2.0, 2.0, 2.0]])",
        "q4 = tensor([0.25, 1.0, 0.0, 0.6])",
        "rw4 = tensor([0.5, 1.0, 0.0, 0.7])",
        "refrw4 = tensor([[0.2, 0.5, 0.9, 0.5], [0.0, 0.0, 0.0, 0.0], [0.1, 0.3, 0.2, 0.4], [0.7, 0.7, 0.7, 0.7]])",
    };

    @BeforeAll
    static void setUp() {
        open();
        for (String s : PolicyLossReferenceTest.POLICY_INPUTS) {
            session.repl(s);
        }
        for (String s : INPUTS) {
            session.repl(s);
        }
    }

    @AfterAll
    static void tearDown() {
        close();
    }

    /** Element-wise to a relative tolerance, plus an absolute floor for values that are 0 up to rounding. */
    private static void rel(String expr, double relTol, double... expected) {
        relClose(expr, relTol, 1e-7, expected);
    }

    private static String grad(String lossCall, String at) {
        return "grad((x) => " + lossCall.replace("LOGP", "x") + ", " + at + ")";
    }

    @Test
    void gmpoClipsEachTokenInLogSpaceOnThePessimisticSide() {
        // log-ratios 1.8 -0.2 0.1 | 2.4 | -0.2 0.1 -2.0 0.1 -0.1 | -2.0 0.15 with A = 1.5, -0.7, -1.2, 0.8:
        // 1.8 (A > 0) is clipped to 0.4 and -2.0 in row 2 (A < 0) to -0.4; 2.4 (A < 0) and -2.0 in row 3 (A > 0) stay
        near("loss.gmpo(lp4, old4, a4, m4).loss", 1.70676165);
        near("loss.gmpo(lp4, old4, a4, m4).clip_frac", 0.18181818);
        near("loss.gmpo(lp4, old4, a4, m4).ratio_mean", 3.35742897);
        near("loss.gmpo(lp4, old4, a4, m4).approx_kl", -0.01363636);
        // -a_i ratio_i / L_i / B on each token the clip leaves, 0 on the two it binds
        rel(grad("loss.gmpo(LOGP, old4, a4, m4)", "lp4"), 1e-4,
                0, -0.13814636, -0.13814636, 0, 0, 1.92905578, 0, 0, 0, 0,
                0.05429024, 0.05429024, 0, 0.05429024, 0.05429024, -0.03965314, -0.03965314, 0, 0, 0);
        // asymmetric bounds: row 2's -0.2 now binds at -0.15 as well
        near("loss.gmpo(lp4, old4, a4, m4, eps_low: 0.15, eps_high: 0.25).loss", 1.74375969);
        near("loss.gmpo(lp4, old4, a4, m4, eps_low: 0.15, eps_high: 0.25).clip_frac", 0.27272727);
        near("loss.gmpo(lp4, old4, a4, m4, eps_low: 0.15, eps_high: 0.25).ratio_mean", 3.35794202);
    }

    @Test
    void gmpoTokenAdvantagesGiveTheSignPerTokenAndTheirRowMean() {
        near("loss.gmpo(lp4, old4, at4, m4).loss", 1.77789555);
        near("loss.gmpo(lp4, old4, at4, m4).clip_frac", 0.09090909);
        near("loss.gmpo(lp4, old4, at4, m4).ratio_mean", 3.37626928);
        // row 2's token with A = 0 adds 0 to the log-ratio and gets no gradient
        rel(grad("loss.gmpo(LOGP, old4, at4, m4)", "lp4"), 1e-4,
                0, -0.07674798, -0.07674798, 0, 0, 1.92905578, 0, 0, 0, 0,
                0.00392079, 0.00392079, 0, 0.00392079, 0.00392079, 0.02973986, 0.02973986, 0, 0, 0);
    }

    @Test
    void gvpoSumsTheSquaredGapOverTheBatchDividedByNMinusOne() {
        near("loss.gvpo(lp6, old6, a6, m6, 3).loss", 0.37366667);
        near("loss.gvpo(lp6, old6, a6, m6, 3).implied_reward", -0.01166667);
        near("loss.gvpo(lp6, old6, a6, m6, 3, beta: 1.0).loss", 0.33166667);
        near("loss.gvpo(lp6, old6, a6, m6, 3, beta: 1.0).implied_reward", -0.11666667);
        // beta * m * ((r_i - mean_g r) - a_i) / (n - 1), constant over a row
        near(grad("loss.gvpo(LOGP, old6, a6, m6, 3, beta: 1.0)", "lp6"),
                -0.23333333, -0.23333333, -0.23333333, -0.23333333, 0.36666667, 0.36666667, 0, 0,
                -0.13333333, -0.13333333, -0.13333333, 0, 0, 0, 0, 0,
                0.25, 0.25, 0.25, 0.25, -0.25, -0.25, -0.25, 0);
        // token advantages count by their mean over the row's mask (at6's row means are a6; the padding 5.0 is ignored)
        near("loss.gvpo(lp6, old6, at6, m6, 3, beta: 1.0).loss", 0.33166667);
        // groups of 2 over the same rows, and the 4-row inputs in groups of 2
        near("loss.gvpo(lp6, old6, a6, m6, 2).loss", 0.758025);
        near("loss.gvpo(lp4, old4, a4, m4, 2, beta: 0.5).loss", 2.70453125);
        near("loss.gvpo(lp4, old4, a4, m4, 2, beta: 0.5).implied_reward", 0.01875);
    }

    @Test
    void gvpoGroupMeanCarriesNoGradient() {
        // advantages that do not sum to 0 in a group: the gradient is (r_i - mean_g r - a_i) with the mean held
        // fixed, as the authors' recipe detaches it
        near("loss.gvpo(lp6, old6, a6u, m6, 3, beta: 1.0).loss", 0.6325);
        near(grad("loss.gvpo(LOGP, old6, a6u, m6, 3, beta: 1.0)", "lp6"),
                -0.48333333, -0.48333333, -0.48333333, -0.48333333, 0.21666667, 0.21666667, 0, 0,
                -0.08333333, -0.08333333, -0.08333333, 0, -0.55, 0, 0, 0,
                0.2, 0.2, 0.2, 0.2, 0.05, 0.05, 0.05, 0);
        RlxError e = assertThrows(RlxError.class, () -> eval("loss.gvpo(lp6, old6, a6, m6, 1)"));
        assertTrue(e.getMessage().contains("loss.gvpo: group must be at least 2"), e.getMessage());
    }

    @Test
    void qrpoRegressesTheImpliedRewardOnTheQuantile() {
        near("loss.qrpo(lp4, ref4, q4, m4).loss", 0.20872678);
        near("loss.qrpo(lp4, ref4, q4, m4).implied_reward", -0.01375);
        near("loss.qrpo(lp4, ref4, q4, m4).log_z", 7.69736951);
        // 2 * (q_i - beta log Z - beta * sum_t m (logp - ref)) * (-beta) * m / B
        rel(grad("loss.qrpo(LOGP, ref4, q4, m4)", "lp4"), 1e-4,
                0.02598685, 0.02598685, 0.02598685, 0, 0, -0.01001315, 0, 0, 0, 0,
                0.03548685, 0.03548685, 0.03548685, 0.03548685, 0.03548685, 0.00723685, 0.00723685, 0, 0, 0);
        near("loss.qrpo(lp4, ref4, q4, m4, beta: 0.5).loss", 0.07037694);
        near("loss.qrpo(lp4, ref4, q4, m4, beta: 0.5).log_z", 1.16143936);
        // e^(1/beta) = e^100 would overflow float32; log Z is computed without it
        near("loss.qrpo(lp4, ref4, q4, m4, beta: 0.01).loss", 0.37987963);
        near("loss.qrpo(lp4, ref4, q4, m4, beta: 0.01).log_z", 95.3948298);
        RlxError e = assertThrows(RlxError.class, () -> eval("loss.qrpo(lp4, ref4, q4, m4, beta: 0.0)"));
        assertTrue(e.getMessage().contains("loss.qrpo: beta must be positive"), e.getMessage());
    }

    @Test
    void rewardQuantilesAreTheEmpiricalCdfAmongTheReferenceRewards() {
        // 0.5 among 0.2 0.5 0.9 0.5 (ties count): 3/4; equal to all four: 1; below all: 0
        near("credit.reward_quantiles(rw4, refrw4)", 0.75, 1.0, 0.0, 1.0);
        near("loss.qrpo(lp4, ref4, credit.reward_quantiles(rw4, refrw4), m4).loss", 0.15234515);
        RlxError e = assertThrows(RlxError.class, () -> eval("credit.reward_quantiles(rw4, rw4)"));
        assertTrue(e.getMessage().contains("credit.reward_quantiles: rewards must be [B] and reference_rewards [B, K]"),
                e.getMessage());
    }

    @Test
    void kimiLengthRewardWithinEachGroup() {
        // lengths 10 20 30 | 7 7 7: the second group's lengths are all equal, so it gets 0 whatever its answers
        near("credit.kimi_length_reward(tensor([1, 0, 1, 0, 1, 1]), tensor([10, 20, 30, 7, 7, 7]), 3)",
                0.5, 0, -0.5, 0, 0, 0);
        // groups of 4: lengths 12 4 8 4 (wrong and longest: -0.5; wrong and shortest: min(0, 0.5) = 0) | 5 5 5 5
        near("credit.kimi_length_reward(tensor([0, 1, 1, 0, 1, 0, 1, 0]), tensor([12, 4, 8, 4, 5, 5, 5, 5]), 4)",
                -0.5, 0.5, 0, 0, 0, 0, 0, 0);
        near("credit.kimi_length_reward(tensor([1, 0, 1, 0, 1, 1]), tensor([10, 20, 30, 7, 7, 7]), 2)",
                0.5, -0.5, -0.5, 0, 0, 0);
        // lengths as lengths(mask) gives them (int64): 4 2 3 | 1 4 3
        near("credit.kimi_length_reward(tensor([1, 0, 0, 1, 0, 1]), lengths(m6), 3)",
                -0.5, 0, 0, 0.5, -0.5, -0.16666667);
    }

    @Test
    void helpShowsEachFormula() {
        String[][] expected = {
            {"loss.gmpo", "loss.gmpo(logp, old_logp, advantages, mask, eps_low = 0.4, eps_high = 0.4)",
                "d' = s * min(s*d, s*clamp(d, -eps_low, eps_high))"},
            {"loss.gvpo", "loss.gvpo(logp, old_logp, advantages, mask, group, beta = 0.1)",
                "loss = sum_i 0.5 * ((r_i - sg(mean_g r)) - a_i)^2 / (n - 1)"},
            {"loss.qrpo", "loss.qrpo(logp, ref_logp, quantile_rewards, mask, beta = 0.1)",
                "log Z = log(beta * (e^(1/beta) - 1))"},
            {"credit.reward_quantiles", "credit.reward_quantiles(rewards, reference_rewards)",
                "q_i = (1/K) * #{k : reference_rewards[i,k] <= r_i}"},
            {"credit.kimi_length_reward", "credit.kimi_length_reward(correct, lengths, group)",
                "lam_i = 0.5 - (L_i - L_min) / (L_max - L_min)"},
        };
        for (String[] h : expected) {
            String help = session.help(h[0]);
            assertTrue(help.startsWith(h[1]), h[0] + ":\n" + help);
            assertTrue(help.contains(h[2]), h[0] + ":\n" + help);
            assertTrue(help.contains("Source:"), h[0] + ":\n" + help);
        }
    }
}
