package dev.rlx.interpreter.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * std/credit, std/kl and std/loss against values computed independently by
 * interpreter/src/test/python/reference.py (numpy, float64, written from shared/REFERENCE.md). The
 * literals below are that script's output. Mask rows have lengths 3, 2 and 4.
 */
class StdlibReferenceTest extends StdlibTestSupport {
    @BeforeAll
    static void setUp() {
        open();
    }

    @AfterAll
    static void tearDown() {
        close();
    }

    // ---- outcome advantages

    @Test
    void grpoScalesAndGroupSizes() {
        near("credit.grpo(scores6, group: 3)", 0.57734927, -1.15469854, 0.57734927, -0.57734927, -0.57734927, 1.15469854);
        near("credit.grpo(scores6, 2)", 0.70710578, -0.70710578, 0.70710578, -0.70710578, -0.70710578, 0.70710578);
        near("credit.grpo(scores6, group: 1)", 0.999999, 0, 0.999999, 0, 0, 0.999999);
        near("credit.grpo(scores6, group: 3, scale: \"none\")", 0.33333333, -0.66666667, 0.33333333, -0.33333333, -0.33333333, 0.66666667);
        near("credit.grpo(scores6, group: 3, scale: \"batch\")", 0.60857951, -1.21715902, 0.60857951, -0.60857951, -0.60857951, 1.21715902);
        near("credit.grpo(scores4, group: 2)", -0.70710611, 0.70710611, -0.70710653, 0.70710653);
    }

    @Test
    void rlooOpoGpgPassAtK() {
        near("credit.rloo(scores4, 2)", -1.5, 1.5, -4.0, 4.0);
        near("credit.rloo(scores6, 3)", 0.5, -1.0, 0.5, -0.5, -0.5, 1.0);
        near("credit.rloo(scores6, 1)", 1, 0, 1, 0, 0, 1);
        near("credit.opo(scores4, tensor([3, 1, 2, 4]), 2)", -0.375, 1.125, -2.66666667, 1.33333333);
        near("credit.gpg(scores6, 3)", 0.66666667, -1.33333333, 0.66666667, -0.66666667, -0.66666667, 1.33333333);
        near("credit.gpg(scores4, 2)", -0.75, 0.75, -2.0, 2.0);
        near("credit.pass_at_k(scores4, 2)", 0, 1.41421223, 0, 1.41421306);
        near("credit.pass_at_k(tensor([0.2, 0.9, 0.4, 1.0, 1.0, 0.0]), 3)", 0, 1.38674664, 0, 0, 0, 0);
        near("credit.pass_at_k(scores4, 1)", 0, 0, 0, 0);
    }

    // ---- token level

    @Test
    void terminalBroadcastDiscounted() {
        near("R", 0, 0, 1, 0, 0, -0.5, 0, 0, 0, 0, 0, 2);
        near("credit.broadcast(r3, m)", 1, 1, 1, 0, -0.5, -0.5, 0, 0, 2, 2, 2, 2);
        near("credit.discounted_returns(Rdense, m, 0.9)", 0.748, 0.72, 0.8, 0, -0.18, -0.2, 0, 0, 1.539, 1.71, 1.9, 2.0);
    }

    @Test
    void reinforcePlusPlusAndRemax() {
        near("credit.reinforce_pp(Rdense, m, gamma: 0.9).advantages",
                -0.30559952, -0.33900997, -0.24355155, 0, -1.41291719, -1.43678179, 0, 0,
                0.6382456, 0.84228797, 1.06900171, 1.18832474);
        near("credit.reinforce_pp(Rdense, m, gamma: 0.9).returns", 0.748, 0.72, 0.8, 0, -0.18, -0.2, 0, 0, 1.539, 1.71, 1.9, 2.0);
        near("credit.reinforce_pp_baseline(tensor([1.0, 0.0, 2.0]), m, 3)",
                -0.26666666, -0.26666666, -0.26666666, 0, -1.46666666, -1.46666666, 0, 0,
                0.93333333, 0.93333333, 0.93333333, 0.93333333);
        near("credit.remax(Rdense, m, tensor([0.5, 0.0, 1.0])).returns", 0.9, 0.8, 0.8, 0, -0.2, -0.2, 0, 0, 2.1, 2.1, 2.1, 2.0);
        near("credit.remax(Rdense, m, tensor([0.5, 0.0, 1.0])).advantages", 0.4, 0.3, 0.3, 0, -0.2, -0.2, 0, 0, 1.1, 1.1, 1.1, 1.0);
        near("credit.whiten(values, m, shift_mean: false)",
                -0.14760298, 0.32380149, 0.79520596, 0, 1.73801489, -0.14760298, 0, 0,
                -1.56181638, -0.61900745, 1.26661043, -0.14760298);
    }

    @Test
    void gae() {
        near("credit.gae(Rdense, values, m, gamma: 0.99, lam: 0.95, whiten: false).advantages",
                0.73149863, 0.56725, 0.5, 0, -0.68315, -0.3, 0, 0, 1.97527461, 1.88758597, 1.58595, 1.9);
        near("credit.gae(Rdense, values, m, gamma: 0.99, lam: 0.95).advantages",
                -0.17736118, -0.3432024, -0.41110448, 0, -1.60572662, -1.2188615, 0, 0,
                1.07847479, 0.9899359, 0.68537519, 1.0024703);
        near("credit.gae(Rdense, values, m, gamma: 0.99, lam: 0.95).returns",
                0.83149863, 0.76725, 0.8, 0, -0.18315, -0.2, 0, 0, 1.77527461, 1.88758597, 1.98595, 2.0);
        // a gap inside a response: the masked-out position is skipped, the state carried over it
        near("credit.gae(Rdense, values, mgap, whiten: false).advantages", 0.8, 0, 0.5, -0.4, -0.7, -0.3, -0.2, 0, 2.3, 2.1, 1.7, 1.9);
    }

    @Test
    void reinforceBaselineThreadsItsState() {
        near("credit.reinforce_baseline(tensor([1.0, 0.0]), credit.baseline_state()).advantages", 0.5, -0.5);
        // b = 0.2 given; advantages r - 0.2; next b = 0.9 * 0.2 + 0.1 * mean(r) = 0.18 + 0.1 * 0.5
        near("credit.reinforce_baseline(tensor([1.0, 0.0]), credit.baseline_state(baseline: 0.2)).advantages", 0.8, -0.2);
        near("credit.reinforce_baseline(tensor([1.0, 0.0]), credit.baseline_state(baseline: 0.2)).state.baseline", 0.23);
        near("let s1 = credit.reinforce_baseline(tensor([1.0, 1.0]), credit.baseline_state(beta: 0.5)).state in "
                + "credit.reinforce_baseline(tensor([0.0, 0.0]), s1).advantages", -1.0, -1.0);
    }

    // ---- KL

    @Test
    void klEstimators() {
        near("kl.k1(logp, ref)", 0.1, 0.5, -0.1, 0.2, -0.2, -0.1, -0.1, 0.2, 0.2, -0.1, -0.1, 0.4);
        near("kl.abs(logp, ref)", 0.1, 0.5, 0.1, 0.2, 0.2, 0.1, 0.1, 0.2, 0.2, 0.1, 0.1, 0.4);
        near("kl.k2(logp, ref)", 0.005, 0.125, 0.005, 0.02, 0.02, 0.005, 0.005, 0.02, 0.02, 0.005, 0.005, 0.08);
        near("kl.k3(logp, ref)", 0.00483742, 0.10653066, 0.00517092, 0.01873075, 0.02140276, 0.00517092,
                0.00517092, 0.01873075, 0.01873075, 0.00517092, 0.00517092, 0.07032005);
        near("kl.estimate(logp, ref, \"low_var_kl\")", eval("kl.k3(logp, ref)"));
        near("kl.k3(tensor([[0.0, 0.0]]), tensor([[30.0, -30.0]]))", 10.0, 10.0);
    }

    @Test
    void klInRewardAndAdaptiveBeta() {
        near("kl.in_reward(r3, old, ref, m, 0.05)", 0.005, -0.035, 1.005, 0, -0.015, -0.46, 0, 0, -0.0075, -0.01, 0.025, 1.97);
        near("kl.in_reward(tensor([12.0, -0.5, -15.0]), old, ref, m, 0.1, estimator: \"k3\")",
                -5.17091808e-04, -1.96585304e-02, 9.99948291e+00, 0, -4.08182207e-03, -5.42554093e-01, 0, 0,
                -1.07079764e-03, -1.87307531e-03, -1.48721271e-02, -1.00148812e+01);
        near("kl.adaptive_update(kl.adaptive_state(), 12.0, 256).beta", 0.100512);
        near("let s = kl.adaptive_update(kl.adaptive_state(), 12.0, 256), s2 = kl.adaptive_update(s, 3.0, 256) in "
                + "kl.adaptive_update(s2, tensor(6.6), 1000).beta", 0.10099735);
    }

    // ---- losses

    @Test
    void allFourAggregationModes() {
        String x = "logp * 2 - old";
        near("loss.aggregate(" + x + ", m, \"token-mean\")", -1.06111111);
        near("loss.aggregate(" + x + ", m, \"seq-mean-token-sum\")", -3.18333333);
        near("loss.aggregate(" + x + ", m, \"seq-mean-token-mean\")", -1.01805556);
        near("loss.aggregate(" + x + ", m, \"seq-mean-token-sum-norm\")", -0.79583333);
    }

    private static void ppo(String call, double loss, double clipFrac, double clipFracLower, double approxKl) {
        near(call + ".loss", loss);
        near(call + ".clip_frac", clipFrac);
        near(call + ".clip_frac_lower", clipFracLower);
        near(call + ".approx_kl", approxKl);
    }

    @Test
    void ppoClipDefaultAsymmetricDualAndAggregation() {
        ppo("loss.ppo_clip(logp, old, adv_b, m)", -0.23448756, 0.33333333, 0, -0.01666667);
        ppo("loss.ppo_clip(logp, old, credit.broadcast(adv_b, m), m)", -0.23448756, 0.33333333, 0, -0.01666667);
        ppo("loss.ppo_clip(logp, old, adv_b, m, eps_low: 0.1, eps_high: 0.3)", -0.23131009, 0.22222222, 0, -0.01666667);
        ppo("loss.ppo_clip(logp, old, tensor([1.0, -2.0, 0.5]), m, dual_clip: 1.5)", -0.03601564, 0.33333333, 0.11111111, -0.01666667);
        ppo("loss.ppo_clip(logp, old, adv_b, m, eps_high: 0.28, agg: \"seq-mean-token-mean\")", -0.03095133, 0.22222222, 0, -0.01666667);
    }

    @Test
    void gspoKlEntropyValue() {
        near("loss.gspo(logp, old, adv_b, m).loss", -0.12953933);
        near("loss.gspo(logp, old, adv_b, m, eps_low: 0.01, eps_high: 0.01).loss", -0.12953933);
        near("loss.gspo(logp, old, -adv_b, m, eps_low: 0.01, eps_high: 0.01).loss", 0.16166667);
        near("loss.kl(logp, ref, m).loss", 0.02694503);
        near("loss.kl(logp, ref, m, estimator: \"k1\", agg: \"seq-mean-token-sum\").loss", 0.2);
        near("loss.entropy_bonus(abs(logp), m, 0.01).loss", -0.01077778);
        String vold = "values + tensor([[0.6, -0.1, 0.0, 0.2], [-0.7, 0.3, 0.0, 0.0], [0.1, 0.55, -0.6, 0.0]])";
        String g = "credit.gae(Rdense, values, m, gamma: 0.99, lam: 0.95).returns";
        near("loss.value(values, " + vold + ", " + g + ", m).loss", 0.86559304);
        near("loss.value(values, " + vold + ", " + g + ", m).clip_frac", 0.11111111);
    }

    @Test
    void preferenceLosses() {
        String args = "tensor([-1.0, -3.0, -2.0]), tensor([-2.0, -1.0, -2.5]), tensor([-1.5, -2.0, -2.2]), tensor([-1.5, -2.0, -2.2])";
        near("loss.dpo(" + args + ").loss", 0.70366506);
        near("loss.dpo(" + args + ", beta: 0.5, variant: \"cdpo\", smoothing: 0.1).loss", 0.77942603);
        near("loss.dpo(" + args + ", variant: \"ipo\").loss", 28.41666667);
        near("loss.dpo(" + args + ").accuracy", 0.66666667);
        near("loss.bradley_terry(tensor([1.0, 0.2, -0.5]), tensor([0.0, 0.7, -1.0])).loss", 0.58713855);
    }

    @Test
    void jsonOfACreditCall() {
        assertEquals("[0.57734925, -1.1546986, 0.57734925, -0.5773493, -0.5773493, 1.1546985]",
                dev.rlx.interpreter.api.RlxSession.json(session.eval("credit.grpo(tensor([1,0,1,0,0,1]), group: 3)")));
    }
}
