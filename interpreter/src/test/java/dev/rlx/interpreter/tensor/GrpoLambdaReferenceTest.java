package dev.rlx.interpreter.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.interpreter.api.RlxError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * std/credit's GRPO-lambda pieces (top_groups, sigmoid_length_penalty, grpo_lambda_scores) against values computed
 * independently by interpreter/src/test/python/grpo_lambda.py (plain Python, float64: a stable sort of the groups by
 * accuracy, statistics.pstdev over each group's correct lengths, GRPO with statistics.stdev). The literals below are
 * that script's output. Five groups of 4 with accuracies 3/4, 1, 0, 1, 3/4: the two ties (1 and 3/4) show which
 * group the batch order lets in; the fourth group's correct answers all have length 6 (std 0).
 */
class GrpoLambdaReferenceTest extends StdlibTestSupport {
    static final String[] INPUTS = {
        "c20 = tensor([1, 1, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1])",
        "l20 = tensor([4, 8, 20, 6, 5, 5, 9, 13, 7, 3, 2, 9, 6, 6, 6, 6, 10, 3, 12, 3])",
        // the verifier plus a format term that is not 0/1
        "s20 = c20 + tensor([0, -0.5, 0, 0, 0, 0, -0.5, 0, 0, 0, -0.5, 0, 0, 0, 0, 0, 0, 0, 0, -0.5])",
    };

    @BeforeAll
    static void setUp() {
        open();
        for (String s : INPUTS) {
            session.repl(s);
        }
    }

    @AfterAll
    static void tearDown() {
        close();
    }

    private static double[] rows(int... groupsOf4) {
        double[] out = new double[20];
        for (int g : groupsOf4) {
            for (int i = 0; i < 4; i++) {
                out[4 * g + i] = 1.0;
            }
        }
        return out;
    }

    @Test
    void topGroupsRankByAccuracyAndBreakTiesByBatchOrder() {
        // ceil(0.2 * 5) = 1: the first of the two perfect groups
        near("credit.top_groups(c20, 4, 0.2)", rows(1));
        // ceil(0.4 * 5) = 2: both perfect groups
        near("credit.top_groups(c20, 4, 0.4)", rows(1, 3));
        // ceil(0.5 * 5) = 3: of the two groups at 3/4 the earlier one (group 0) gets in
        near("credit.top_groups(c20, 4, 0.5)", rows(0, 1, 3));
        near("credit.top_groups(c20, 4, 1.0)", rows(0, 1, 2, 3, 4));
        // 30 groups of one row, three correct: 0.1 * 30 is 3 groups (the float product would round up to 4)
        double[] three = new double[30];
        three[4] = three[17] = three[25] = 1.0;
        near("credit.top_groups(tensor(" + java.util.Arrays.toString(three) + "), 1, 0.1)", three);
    }

    @Test
    void lengthPenaltyIsTheSigmoidOfTheZScoreAmongCorrectAnswers() {
        // group 0: correct lengths 4 8 6 (mean 6, population std 1.633); group 1: 5 5 9 13; group 2: none correct;
        // group 3: all length 6 (std 0: z = 0, penalty 0.5); group 4: 3 12 3 (the wrong 10 is left out)
        near("credit.sigmoid_length_penalty(c20, l20, 4)",
                0.22710252, 0.77289748, 0, 0.5, 0.28811964, 0.28811964, 0.57481194, 0.81869883, 0, 0, 0, 0,
                0.5, 0.5, 0.5, 0.5, 0, 0.33023845, 0.80442968, 0.33023845);
        // one correct answer: std 0, penalty 0.5; bools count as correctness
        near("credit.sigmoid_length_penalty(tensor([0, 1, 0]) > 0, tensor([3, 7, 5]), 3)", 0, 0.5, 0);
    }

    @Test
    void scoresArePenalizedOnlyInTheTopGroups() {
        // the defaults: lam 0.2 (group 1 only), alpha 0.6
        near("credit.grpo_lambda_scores(c20, c20, l20, 4)",
                1, 1, 0, 1, 0.82712821, 0.82712821, 0.65511284, 0.50878070, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1);
        near("credit.grpo_lambda_scores(c20, c20, l20, 4, lam: 0.5)",
                0.86373849, 0.53626151, 0, 0.7, 0.82712821, 0.82712821, 0.65511284, 0.50878070, 0, 0, 0, 0,
                0.7, 0.7, 0.7, 0.7, 0, 1, 1, 1);
        near("credit.grpo_lambda_scores(c20, c20, l20, 4, lam: 1.0, alpha: 0.3)",
                0.93186924, 0.76813076, 0, 0.85, 0.91356411, 0.91356411, 0.82755642, 0.75439035, 0, 0, 0, 0,
                0.85, 0.85, 0.85, 0.85, 0, 0.90092846, 0.75867110, 0.90092846);
        // other reward terms stay in the score; the ranking and the penalty read only the verifier
        near("credit.grpo_lambda_scores(s20, c20, l20, 4, lam: 0.5)",
                0.86373849, 0.03626151, 0, 0.7, 0.82712821, 0.82712821, 0.15511284, 0.50878070, 0, 0, -0.5, 0,
                0.7, 0.7, 0.7, 0.7, 0, 1, 1, 0.5);
        // alpha 0 leaves the scores as they are
        near("credit.grpo_lambda_scores(s20, c20, l20, 4, lam: 1.0, alpha: 0.0)", eval("s20"));
    }

    @Test
    void grpoAdvantagesOfTheShapedScores() {
        // a perfect group of equal lengths still gets 0; a perfect group of unequal lengths now has a signal
        near("credit.grpo(credit.grpo_lambda_scores(c20, c20, l20, 4, lam: 0.5), 4)",
                0.90410897, 0.03005750, -1.40124971, 0.46708324, 0.79787700, 0.79787700, -0.32167846, -1.27407555,
                0, 0, 0, 0, 0, 0, 0, 0, -1.49999700, 0.49999900, 0.49999900, 0.49999900);
    }

    private static void fails(String expr, String message) {
        RlxError e = assertThrows(RlxError.class, () -> eval(expr));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void lambdaAndAlphaOutsideTheirRangesAreErrors() {
        fails("credit.grpo_lambda_scores(c20, c20, l20, 4, lam: 0.0)",
                "credit.grpo_lambda_scores: lam must lie in (0, 1], got 0.0");
        fails("credit.grpo_lambda_scores(c20, c20, l20, 4, lam: 1.5)",
                "credit.grpo_lambda_scores: lam must lie in (0, 1], got 1.5");
        fails("credit.grpo_lambda_scores(c20, c20, l20, 4, alpha: -0.1)",
                "credit.grpo_lambda_scores: alpha must lie in [0, 1], got -0.1");
        fails("credit.grpo_lambda_scores(c20, c20, l20, 4, alpha: 2.0)",
                "credit.grpo_lambda_scores: alpha must lie in [0, 1], got 2.0");
        fails("credit.top_groups(c20, 4, -0.2)", "credit.top_groups: frac must lie in (0, 1], got -0.2");
    }

    @Test
    void helpShowsEachFormula() {
        String[][] expected = {
            {"credit.top_groups", "credit.top_groups(values, group, frac)",
                "rank_g = #{j : mean_j > mean_g} + #{j < g : mean_j == mean_g}"},
            {"credit.sigmoid_length_penalty", "credit.sigmoid_length_penalty(correct, lengths, group)",
                "z_i = (L_i - mean_c) / std_c,  penalty_i = sigmoid(z_i)"},
            {"credit.grpo_lambda_scores", "credit.grpo_lambda_scores(scores, correct, lengths, group, lam = 0.2, alpha = 0.6)",
                "s'_i = s_i - alpha * top_i * sigmoid_length_penalty_i"},
        };
        for (String[] h : expected) {
            String help = session.help(h[0]);
            assertTrue(help.startsWith(h[1]), h[0] + ":\n" + help);
            assertTrue(help.contains(h[2]), h[0] + ":\n" + help);
        }
        assertTrue(session.help("credit.grpo_lambda_scores").contains("arXiv 2505.18086"));
        assertTrue(session.help("credit.sigmoid_length_penalty").contains("Arora & Zanette 2025"));
    }
}
