package dev.rlx.interpreter.tensor;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * std/loss's T-REG pieces (token_rewards, t_reg) and every diagnostic, against values computed independently by
 * interpreter/src/test/python/t_reg.py (numpy, float64, from the definitions in summaries of Zhou et al. 2024, with
 * hand-worked gradients checked there by finite differences). The literals below are that script's output.
 */
class TRegLossReferenceTest extends StdlibTestSupport {
    static final String[] T_REG_INPUTS = {
        // sequence sums of 3 pairs: h = 1.0, -1.0, 1.5
        "pc = tensor([-6.0, -9.5, -4.0])",
        "pr = tensor([-7.5, -8.0, -6.5])",
        "prc = tensor([-6.5, -9.0, -5.0])",
        "prr = tensor([-7.0, -8.5, -6.0])",
        // token fields [3,4]; bc/wc at [0,3] sit on padding, so the mask must zero their reward
        "ctl = tensor([[-1.0, -2.0, -3.0, 0.0], [-0.5, -1.5, -2.5, -5.0], [-1.2, -2.8, 0.0, 0.0]])",
        "cm = tensor([[1, 1, 1, 0], [1, 1, 1, 1], [1, 1, 0, 0]])",
        "bc = tensor([[-0.8, -2.5, -2.0, 0.7], [-0.4, -1.0, -3.5, -4.0], [-1.5, -2.0, 0.0, 0.0]])",
        "wc = tensor([[-1.3, -1.5, -3.2, -0.3], [-0.9, -1.0, -2.0, -6.0], [-1.0, -3.0, 0.0, 0.0]])",
        "rtl = tensor([[-2.0, -1.0, -0.5, -3.0], [-1.5, -2.5, 0.0, 0.0], [-0.7, -3.3, -1.1, 0.0]])",
        "rm = tensor([[1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 0]])",
        "br = tensor([[-2.2, -0.9, -1.5, -2.0], [-1.0, -3.0, 0.0, 0.0], [-0.7, -2.0, -1.9, 0.0]])",
        "wr = tensor([[-1.8, -1.4, -0.4, -3.5], [-2.0, -2.2, 0.0, 0.0], [-0.9, -3.6, -0.6, 0.0]])",
        "rwc = loss.token_rewards(bc, wc, cm)",
        "rwr = loss.token_rewards(br, wr, rm)",
    };

    @BeforeAll
    static void setUp() {
        open();
        for (String s : T_REG_INPUTS) {
            session.repl(s);
        }
    }

    @AfterAll
    static void tearDown() {
        close();
    }

    private static final String T_REG = "loss.t_reg(pc, pr, prc, prr, ctl, rtl, rwc, rwr";

    @Test
    void tokenRewardsAreTheShiftedSigmoidOfTheContrastOnTheMaskOnly() {
        near("rwc", 0.12245933, -0.23105858, 0.26852478, 0, 0.12245933, 0, -0.31757448, 0.38079708,
                -0.12245933, 0.23105858, 0, 0);
        near("rwr", -0.09868766, 0.12245933, -0.25026011, 0.31757448, 0.23105858, -0.18997448, 0, 0,
                0.049834, 0.33201839, -0.28583498, 0);
        near("grad((x) => sum(loss.token_rewards(x, wc, cm)), bc)", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void lossAndDiagnosticsAtTheDefaultsAndOtherCoefficients() {
        near(T_REG + ").loss", 0.67570073);
        near(T_REG + ").reg", 0.05783936);
        near(T_REG + ").weight", 0.48752338);
        near(T_REG + ").margin", 0.05);
        near(T_REG + ").chosen_reward", 0.03333333);
        near(T_REG + ").rejected_reward", -0.01666667);
        near(T_REG + ").accuracy", 0.66666667);
        String other = T_REG + ", beta: 0.5, alpha: 0.25)";
        near(other + ".loss", 0.67548732);
        near(other + ".reg", 0.25524933);
        near(other + ".weight", 0.44027377);
        near(other + ".margin", 0.25);
        near(other + ".chosen_reward", 0.16666667);
        near(other + ".rejected_reward", -0.08333333);
        // alpha 0 is plain DPO
        near(T_REG + ", alpha: 0.0).loss", eval("loss.dpo(pc, pr, prc, prr).loss"));
    }

    @Test
    void theRegularizerWeightsTokensAndThePairWeightCarriesNoGradient() {
        String f = "loss.t_reg(pc, pr, prc, prr, x, rtl, rwc, rwr, beta: 0.5, alpha: 0.25).loss";
        near("grad((x) => " + f + ", ctl)", -0.00192639, 0.00363475, -0.00422413, 0, -0.00317608, 0,
                0.00823655, -0.00987628, 0.00163698, -0.00308869, 0, 0);
        // d/d chosen is DPO's alone: w = sg(sigmoid(-beta h)) adds nothing
        near("grad((x) => loss.t_reg(x, pr, prc, prr, ctl, rtl, rwc, rwr, beta: 0.5, alpha: 0.25).loss, pc)",
                -0.06292344, -0.10374322, -0.05347022);
    }
}
