package dev.rlx.engine.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlx.engine.data.SyntheticTasks;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import dev.rlx.engine.rl.Sample;
import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A step's samples scored together give each sample what it gets scored alone, repeats included. */
class ModelRewardScorerTest {
    private static final Tokenizer TOK = SyntheticTasks.arithTokenizer();

    private static Sample sample(String prompt, String completion, int group) {
        int[] ids = TOK.encode(completion);
        return new Sample(prompt, completion, ids, ids.length, "stop", null, Map.of(), group);
    }

    /** Two prompts, with repeated completions inside and across groups (as a GRPO step has). */
    private static List<Sample> step() {
        List<Sample> s = new ArrayList<>();
        for (String c : new String[] {"12", "13", "12", "12", "7"}) s.add(sample("5+7=", c, 0));
        for (String c : new String[] {"12", "40", "40"}) s.add(sample("31+9=", c, 1));
        return s;
    }

    private static CausalLM lm() {
        ModelConfig cfg = ModelConfig.gpt().vocabSize(TOK.vocabSize()).dim(16).layers(1).heads(2).context(16).build();
        return CausalLM.create(cfg, ComputeConfig.defaults(), 3);
    }

    @Test
    void outcomeScoresOfRepeatsEqualScoringEachSampleAlone() {
        try (CausalLM lm = lm(); RewardModel rm = RewardModel.create(lm, 9)) {
            List<Sample> step = step();
            ModelRewardScorer.Scores together = new ModelRewardScorer(rm, TOK, false, false).score(step);
            for (int i = 0; i < step.size(); i++) {
                double alone = new ModelRewardScorer(rm, TOK, false, false).score(List.of(step.get(i))).values()[0];
                assertEquals(alone, together.values()[i], 1e-5, "sample " + i);
            }
            assertEquals(together.values()[0], together.values()[2], 0.0);
        }
    }

    @Test
    void tokenRewardsOfRepeatsAreTheirOwnCopies() {
        try (CausalLM lm = lm(); RewardModel rm = RewardModel.create(lm, 9)) {
            List<Sample> step = step();
            ModelRewardScorer.Scores together = new ModelRewardScorer(rm, TOK, true, false).score(step);
            for (int i = 0; i < step.size(); i++) {
                ModelRewardScorer.Scores alone = new ModelRewardScorer(rm, TOK, true, false).score(List.of(step.get(i)));
                assertArrayEquals(alone.perToken()[0], together.perToken()[i], 1e-5f, "sample " + i);
                assertEquals(alone.values()[0], together.values()[i], 1e-5, "sample " + i);
            }
            together.perToken()[0][0] += 1f; // a caller writing into one sample's rewards leaves its repeats alone
            assertEquals(together.perToken()[2][0] + 1f, together.perToken()[0][0], 1e-6f);
        }
    }

    @Test
    void normalizationCountsEveryRepeat() {
        try (CausalLM lm = lm(); RewardModel rm = RewardModel.create(lm, 9)) {
            List<Sample> step = step();
            double[] raw = new ModelRewardScorer(rm, TOK, false, false).score(step).values();
            double[] z = new ModelRewardScorer(rm, TOK, false, true).score(step).values();
            double mean = 0;
            for (double v : raw) mean += v;
            mean /= raw.length;
            double var = 0;
            for (double v : raw) var += (v - mean) * (v - mean);
            double std = Math.sqrt(var / (raw.length - 1));
            double zMean = 0;
            for (double v : z) zMean += v;
            assertEquals(0.0, zMean / z.length, 1e-4);
            assertEquals((raw[1] - mean) / std, z[1], 1e-3);
        }
    }
}
