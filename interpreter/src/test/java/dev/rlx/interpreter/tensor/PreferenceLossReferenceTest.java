package dev.rlx.interpreter.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.interpreter.api.RlxError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * std/loss's offline preference losses (dpo with sigmoid / cdpo / ipo, simpo, orpo, kto) and every
 * diagnostic they return, against values computed independently by
 * interpreter/src/test/python/preference_losses.py (numpy, float64, written from shared/REFERENCE.md, with
 * hand-worked gradients checked there by finite differences). The literals below are that script's output.
 */
class PreferenceLossReferenceTest extends StdlibTestSupport {
    static final String[] PREF_INPUTS = {
        // sequence sums of 5 pairs: h = 1.5, -2, 2.25, 3.5, 0 (a tie)
        "pc = tensor([-12.5, -20.0, -8.25, -30.0, -5.0])",
        "pr = tensor([-15.0, -18.5, -9.0, -29.0, -7.0])",
        "prc = tensor([-13.0, -19.0, -9.5, -31.5, -5.5])",
        "prr = tensor([-14.0, -19.5, -8.0, -27.0, -7.5])",
        // length-averaged log-probs for simpo: ac - ar = 0.3, -0.2, 1.0, 0
        "sac = tensor([-0.8, -1.2, -0.5, -2.0])",
        "sar = tensor([-1.1, -1.0, -1.5, -2.0])",
        // orpo: both sides of -ln 2, and -0.001 where 1 - exp(a) cancels
        "oac = tensor([-0.001, -0.3, -1.2, -2.5])",
        "oar = tensor([-0.9, -0.1, -1.5, -0.6])",
        "onll = tensor([0.9, 0.4, 1.3, 2.2])",
        // kto: 6 unpaired rows, 3 desirable
        "kx = tensor([0.8, -0.4, 1.5, -1.2, 0.3, -2.0])",
        "kd = tensor([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])",
    };

    @BeforeAll
    static void setUp() {
        open();
        for (String s : PREF_INPUTS) {
            session.repl(s);
        }
    }

    @AfterAll
    static void tearDown() {
        close();
    }

    private static final String DPO = "loss.dpo(pc, pr, prc, prr";

    @Test
    void dpoVariantsAtBothBetas() {
        near(DPO + ").loss", 0.64651745);
        near(DPO + ", beta: 0.5).loss", 0.56693083);
        near(DPO + ", beta: 0.5, variant: \"cdpo\", smoothing: 0.1).loss", 0.61943083);
        near(DPO + ", variant: \"cdpo\", smoothing: 0.2).loss", 0.66751745);
        near(DPO + ", smoothing: 0.2).loss", 0.66751745);   // sigmoid with smoothing is cDPO, as before
        near(DPO + ", variant: \"ipo\").loss", 19.2125);
        near(DPO + ", beta: 0.5, variant: \"ipo\").loss", 3.6125);
    }

    @Test
    void dpoDiagnostics() {
        near(DPO + ").accuracy", 0.6);
        near(DPO + ", beta: 0.5, variant: \"ipo\").accuracy", 0.6);
        near(DPO + ").margin", 0.105);
        near(DPO + ").chosen_reward", 0.055);
        near(DPO + ").rejected_reward", -0.05);
        near(DPO + ", beta: 0.5, variant: \"cdpo\", smoothing: 0.1).margin", 0.525);
        near(DPO + ", beta: 0.5, variant: \"cdpo\", smoothing: 0.1).chosen_reward", 0.275);
        near(DPO + ", beta: 0.5, variant: \"cdpo\", smoothing: 0.1).rejected_reward", -0.25);
        // the rewards are logs, not part of the loss: no gradient flows back through them
        near("grad((c) => loss.dpo(c, pr, prc, prr).chosen_reward, pc)", 0, 0, 0, 0, 0);
    }

    @Test
    void dpoRejectsBadVariantAndSmoothing() {
        String[][] cases = {
            {DPO + ", variant: \"cdpo\")", "needs smoothing > 0"},
            {DPO + ", smoothing: 0.5)", "must lie in [0, 0.5), got 0.5"},
            {DPO + ", variant: \"cdpo\", smoothing: -0.1)", "must lie in [0, 0.5)"},
            {DPO + ", variant: \"dpo\")", "variant must be"},
        };
        for (String[] c : cases) {
            RlxError e = assertThrows(RlxError.class, () -> session.eval(c[0]), c[0]);
            assertTrue(e.getMessage().contains("loss.dpo") && e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void simpo() {
        near("loss.simpo(sac, sar).loss", 1.03998901);
        near("loss.simpo(sac, sar).accuracy", 0.5);
        near("loss.simpo(sac, sar).margin", 0.55);
        near("loss.simpo(sac, sar).chosen_reward", -2.25);
        near("loss.simpo(sac, sar).rejected_reward", -2.8);
        near("loss.simpo(sac, sar, beta: 2.5, gamma: 0.5).loss", 0.74755153);
        near("loss.simpo(sac, sar, beta: 2.5, gamma: 0.5).margin", 0.6875);
        near("loss.simpo(sac, sar, beta: 2.5, gamma: 0.5).chosen_reward", -2.8125);
        near("loss.simpo(sac, sar, beta: 2.5, gamma: 0.5).rejected_reward", -3.5);
        near("grad((a) => loss.simpo(a, sar).loss, sac)", -0.29934383, -0.40109194, -0.13447071, -0.36552929);
    }

    @Test
    void orpo() {
        // float32: the naive log(1 - exp(a)) would give 11.5116 for the first and miss by 1e-3
        near("loss.log_odds(tensor([-1e-5, -0.001, -0.5, -3.0]))", 11.51292046, 6.90725524, 0.43275213, -2.94893082);
        near("loss.orpo(oac, oar, onll).loss", 1.31643186);
        near("loss.orpo(oac, oar, onll).accuracy", 0.5);
        near("loss.orpo(oac, oar, onll).margin", -0.022525);
        near("loss.orpo(oac, oar, onll).chosen_reward", -0.100025);
        near("loss.orpo(oac, oar, onll).rejected_reward", -0.0775);
        near("loss.orpo(oac, oar, onll).log_odds_ratio", 0.96978926);
        near("loss.orpo(oac, oar, onll).nll", 1.2);
        near("loss.orpo(oac, oar, onll, lam: 0.25).loss", 1.49107964);
        near("loss.orpo(oac, oar, onll, lam: 0.25).margin", -0.0563125);
        near("loss.orpo(oac, oar, onll, lam: 0.25).chosen_reward", -0.2500625);
        near("loss.orpo(oac, oar, onll, lam: 0.25).rejected_reward", -0.19375);
        // d/d ac = -(lam/B) (1 - sigmoid(r)) / (1 - e^ac): finite on both branches of log_odds
        near("grad((a) => loss.orpo(a, oar, onll).loss, oac)", -0.01713334, -0.07416322, -0.01430639, -0.02537044);
    }

    @Test
    void ktoClampsTheKlAndMixesBothGroups() {
        // kl -0.3 is clamped to 0: the same loss as kl 0
        near("loss.kto(kx, kd, tensor(-0.3)).loss", 0.48670194);
        near("loss.kto(kx, kd, tensor(0.0)).loss", 0.48670194);
        near("loss.kto(kx, kd, tensor(-0.3), beta: 0.5).loss", 0.43738787);
        near("loss.kto(kx, kd, tensor(0.6)).loss", 0.48671322);
        near("loss.kto(kx, kd, tensor([0.6]), beta: 0.5, lam_d: 1.33, lam_u: 0.8).loss", 0.4897685);
        near("loss.kto(kx, kd, 0.6, beta: 0.5, lam_d: 1.33, lam_u: 0.8).loss", 0.4897685);   // a plain number too
        near("loss.kto(kx, kd, tensor(-0.3)).kl", 0.0);
        near("loss.kto(kx, kd, tensor([0.6])).kl", 0.6);
        near("loss.kto(kx, kd, tensor(0.6)).chosen_reward", 0.03666667);
        near("loss.kto(kx, kd, tensor(0.6)).rejected_reward", -0.07);
        near("loss.kto(kx, kd, tensor(0.6)).margin", 0.10666667);
        near("loss.kto(kx, kd, tensor(0.6), beta: 0.5).chosen_reward", 0.18333333);
        near("loss.kto(kx, kd, tensor(0.6), beta: 0.5).rejected_reward", -0.35);
        near("loss.kto(kx, kd, tensor(0.6), beta: 0.5).margin", 0.53333333);
        // no undesirable rows: their reward is reported as 0
        near("loss.kto(kx, ones(6), tensor(0.6)).loss", 0.51908486);
        near("loss.kto(kx, ones(6), tensor(0.6)).chosen_reward", -0.01666667);
        near("loss.kto(kx, ones(6), tensor(0.6)).rejected_reward", 0.0);
    }

    @Test
    void ktoGradientFlowsToTheRowsButNotTheKl() {
        String f = "loss.kto(x, kd, k, beta: 0.5, lam_d: 1.33, lam_u: 0.8).loss";
        near("grad((x) => let k = tensor([0.6]) in " + f + ", kx)",
                -0.02763918, 0.01566691, -0.02635162, -0.02277628, 0.01657327, 0.01121989);
        // were z attached, d loss / d kl would be 0.03330701 here
        near("grad((k) => let x = kx in " + f + ", tensor([0.6]))", 0.0);
    }
}
