package dev.rlx.engine.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reward model's readings agree with each other: per sequence, per batch, per prefix. */
class RewardModelTest {
    static CausalLM tinyGpt() {
        ModelConfig cfg = ModelConfig.gpt().vocabSize(12).dim(16).layers(1).heads(2).context(16).build();
        return CausalLM.create(cfg, ComputeConfig.defaults(), 11);
    }

    @Test
    void aSequenceScoresTheSameAloneOrPaddedInABatch() {
        try (CausalLM lm = tinyGpt(); RewardModel rm = RewardModel.create(lm, 5)) {
            List<int[]> prompts = List.of(new int[] {1, 4, 5}, new int[] {1, 6});
            List<int[]> responses = List.of(new int[] {7, 8}, new int[] {9, 10, 11, 2});
            double[] both = rm.scoreSequences(prompts, responses, 0);
            for (int i = 0; i < 2; i++) {
                double alone = rm.scoreSequences(List.of(prompts.get(i)), List.of(responses.get(i)), 0)[0];
                assertEquals(alone, both[i], 1e-5, "row " + i);
            }
            assertNotEquals(both[0], both[1]);
        }
    }

    /** Rows that share a prompt (encoded once, from a KV cache) score as whole rows do in the training forward. */
    @Test
    void sharedPromptScoringEqualsTheWholeRowForward() {
        try (CausalLM lm = tinyGpt(); RewardModel rm = RewardModel.create(lm, 5);
             ai.djl.ndarray.NDManager m = lm.manager().newSubManager()) {
            List<int[]> prompts = List.of(new int[] {1, 4, 5}, new int[] {1, 6}, new int[] {1, 4, 5}, new int[] {1, 6});
            List<int[]> responses = List.of(new int[] {7, 8}, new int[] {9, 10, 11, 2}, new int[] {3}, new int[] {9, 10, 11, 2});
            double[] shared = rm.scoreSequences(prompts, responses, 0);
            float[] whole = rm.scores(dev.rlx.engine.train.ScoreBatch.of(m, prompts, responses.toArray(int[][]::new),
                    null, 0, lm.dataType())).toFloatArray();
            for (int i = 0; i < 4; i++) {
                assertEquals(whole[i], shared[i], 1e-5, "row " + i);
            }
            assertEquals(shared[1], shared[3], 1e-6, "the same prompt and response");
        }
    }

    @Test
    void redTokenRewardsAreDifferencesOfPrefixScoresAndSumToTheScoreGain() {
        try (CausalLM lm = tinyGpt(); RewardModel rm = RewardModel.create(lm, 5)) {
            int[] prompt = {1, 4, 5};
            int[] response = {7, 8, 3};
            float[] r = rm.tokenRewards(List.of(prompt), List.of(response), 0)[0];
            assertEquals(3, r.length);
            // S_t is the score of prompt + the first t+1 response tokens, S_prompt of the prompt alone (as a
            // "response" of its last token after the rest of it)
            double sPrompt = rm.scoreSequences(List.of(new int[] {1, 4}), List.of(new int[] {5}), 0)[0];
            double prev = sPrompt;
            for (int t = 0; t < 3; t++) {
                double s = rm.scoreSequences(List.of(prompt), List.of(java.util.Arrays.copyOf(response, t + 1)), 0)[0];
                assertEquals(s - prev, r[t], 1e-5, "token " + t);
                prev = s;
            }
        }
    }

    @Test
    void aCopyScoresAlikeAndTheHeadIsSeeded() {
        try (CausalLM lm = tinyGpt(); RewardModel a = RewardModel.create(lm, 5); RewardModel b = a.copy();
             RewardModel c = RewardModel.create(lm, 6)) {
            List<int[]> p = List.of(new int[] {1, 4});
            List<int[]> r = List.of(new int[] {7});
            assertEquals(a.scoreSequences(p, r, 0)[0], b.scoreSequences(p, r, 0)[0]);
            assertNotEquals(a.scoreSequences(p, r, 0)[0], c.scoreSequences(p, r, 0)[0]);
            double[] w = c.scoreWeight().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
            double ss = 0;
            for (double x : w) ss += x * x;
            // normal init with std 1/sqrt(D+1): E[sum w^2] = D/(D+1) ~ 0.94 for D = 16
            assertEquals(16.0 / 17.0, ss, 0.75);
        }
    }

    @Test
    void aScoreWeightOfTheWrongShapeIsRefused() {
        try (CausalLM lm = tinyGpt(); CausalLM other = lm.copy()) {
            var w = other.manager().zeros(new ai.djl.ndarray.types.Shape(1, 8));
            assertThrows(IllegalArgumentException.class, () -> RewardModel.wrap(other, w));
        }
    }
}
