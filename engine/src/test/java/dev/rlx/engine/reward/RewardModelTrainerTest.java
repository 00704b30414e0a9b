package dev.rlx.engine.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.rlx.engine.data.TokenPair;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import dev.rlx.engine.train.LrSchedule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bradley-Terry training of a reward model: the loss by hand, one stacked forward, learning, seeds, settings. */
class RewardModelTrainerTest {
    static final int PAD = 0;
    static final int BOS = 1;
    static final int EOS = 2;

    /** Token of digit d: ids 3..12 are the digits 0..9. */
    static int digit(int d) {
        return 3 + d;
    }

    /**
     * "a+b" -> the right sum is chosen, a wrong one rejected, two wrong answers per prompt: 32 pairs that only the
     * arithmetic separates (every answer token is chosen for some prompts and rejected for others).
     */
    static List<TokenPair> sums() {
        List<TokenPair> out = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                int right = a + b;
                int[] prompt = {BOS, digit(a), digit(b)};
                for (int wrong : new int[] {(right + 1) % 7, (right + 2 + a) % 7}) { // sums are 0..6; never right
                    out.add(new TokenPair(prompt, new int[] {digit(right), EOS},
                            new int[] {digit(wrong), EOS}));
                }
            }
        }
        return out;
    }

    static CausalLM tinyGpt(long seed) {
        ModelConfig cfg = ModelConfig.gpt().vocabSize(13).dim(32).layers(2).heads(4).context(8).build();
        return CausalLM.create(cfg, ComputeConfig.defaults(), seed);
    }

    @Test
    void bradleyTerryByHandOnTwoPairs() {
        try (NDManager m = NDManager.newBaseManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray chosen = m.create(new float[] {2.0f, 0.5f});
            NDArray rejected = m.create(new float[] {1.0f, 1.5f});
            NDArray margin = m.create(new float[] {0f, 0.5f});
            chosen.setRequiresGradient(true);
            NDArray loss = RewardModelTrainer.bradleyTerry(chosen, rejected, margin);
            // d = [1, -1.5]: -log sigmoid(1) = log(1 + e^-1) = 0.3132617, -log sigmoid(-1.5) = log(1 + e^1.5) = 1.7014133
            assertEquals((0.3132617 + 1.7014133) / 2, loss.getFloat(), 1e-6);
            gc.backward(loss);
            // d loss / d chosen_i = -sigmoid(-d_i) / 2: -0.2689414 / 2 and -0.8175745 / 2
            assertArrayEquals(new float[] {-0.1344707f, -0.4087872f}, chosen.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void bradleyTerryStaysFiniteForLargeGaps() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray loss = RewardModelTrainer.bradleyTerry(m.create(new float[] {100f, -100f}),
                    m.create(new float[] {0f, 0f}), m.zeros(new ai.djl.ndarray.types.Shape(2)));
            assertEquals(50.0, loss.getFloat(), 1e-4); // (~0 + 100) / 2
        }
    }

    @Test
    void theFirstStepsLossIsTheBradleyTerryLossOfTheScoresOfEachCompletionAlone() {
        List<TokenPair> pairs = new ArrayList<>(sums().subList(0, 6));
        pairs.set(1, new TokenPair(pairs.get(1).prompt(), pairs.get(1).chosen(), pairs.get(1).rejected(), 0.7));
        pairs.set(4, new TokenPair(new int[] {BOS, digit(9), digit(8), digit(7)}, new int[] {digit(1)},
                new int[] {digit(2), digit(3), EOS}, -0.3)); // other lengths: padding on both sides of the stack
        try (CausalLM lm = tinyGpt(3); RewardModel rm = RewardModel.create(lm, 4)) {
            List<int[]> prompts = pairs.stream().map(TokenPair::prompt).toList();
            double[] c = rm.scoreSequences(prompts, pairs.stream().map(TokenPair::chosen).toList(), PAD);
            double[] r = rm.scoreSequences(prompts, pairs.stream().map(TokenPair::rejected).toList(), PAD);
            double want = 0;
            int right = 0;
            for (int i = 0; i < pairs.size(); i++) {
                double d = c[i] - r[i] - pairs.get(i).margin();
                want += Math.log1p(Math.exp(-d)) / pairs.size();
                right += c[i] > r[i] ? 1 : 0;
            }
            double[] first = new double[2];
            RewardTrainingConfig cfg = RewardTrainingConfig.builder().steps(1).batch(pairs.size()).lr(1e-3).build();
            try (RewardModel trained = RewardModelTrainer.train(rm, pairs, cfg, PAD, s -> {
                first[0] = s.loss();
                first[1] = s.accuracy();
            })) {
                assertEquals(want, first[0], 1e-5);
                assertEquals(right / (double) pairs.size(), first[1], 1e-12);
            }
        }
    }

    @Test
    void learnsASeparablePreferenceAndLeavesTheInputUnchanged() {
        List<TokenPair> pairs = sums();
        try (CausalLM lm = tinyGpt(1); RewardModel rm = RewardModel.create(lm, 2)) {
            List<int[]> prompts = pairs.stream().map(TokenPair::prompt).toList();
            List<int[]> chosen = pairs.stream().map(TokenPair::chosen).toList();
            List<int[]> rejected = pairs.stream().map(TokenPair::rejected).toList();
            double[] before = rm.scoreSequences(prompts, chosen, PAD);
            List<RewardModelTrainer.StepInfo> steps = new ArrayList<>();
            RewardTrainingConfig cfg = RewardTrainingConfig.builder().steps(50).batch(32).lr(3e-3).warmupSteps(5)
                    .seed(9).build();
            try (RewardModel trained = RewardModelTrainer.train(rm, pairs, cfg, PAD, steps::add)) {
                double[] c = trained.scoreSequences(prompts, chosen, PAD);
                double[] r = trained.scoreSequences(prompts, rejected, PAD);
                for (int i = 0; i < pairs.size(); i++) {
                    assertTrue(c[i] > r[i], "pair " + i + ": chosen " + c[i] + " <= rejected " + r[i]);
                }
                assertEquals(50, steps.size());
                assertEquals(1.0, steps.get(49).accuracy());
                double early = steps.subList(0, 5).stream().mapToDouble(RewardModelTrainer.StepInfo::loss).average().orElseThrow();
                double late = steps.subList(45, 50).stream().mapToDouble(RewardModelTrainer.StepInfo::loss).average().orElseThrow();
                assertTrue(late < early / 4, "loss " + early + " -> " + late);
                assertTrue(steps.get(0).lr() < steps.get(4).lr(), "warmup");
            }
            assertArrayEquals(before, rm.scoreSequences(prompts, chosen, PAD), "the input reward model changed");
        }
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnotherOrder() {
        List<TokenPair> pairs = sums();
        try (CausalLM lm = tinyGpt(1); RewardModel rm = RewardModel.create(lm, 2)) {
            RewardTrainingConfig.Builder b = RewardTrainingConfig.builder().steps(4).batch(8).lr(1e-3);
            double[] a = losses(rm, pairs, b.seed(5).build());
            assertArrayEquals(a, losses(rm, pairs, b.seed(5).build()));
            assertTrue(a[0] != losses(rm, pairs, b.seed(6).build())[0], "the seed orders the pairs");
        }
    }

    static double[] losses(RewardModel rm, List<TokenPair> pairs, RewardTrainingConfig cfg) {
        double[] out = new double[cfg.steps()];
        try (RewardModel t = RewardModelTrainer.train(rm, pairs, cfg, PAD, s -> out[s.step()] = s.loss())) {
            return out;
        }
    }

    @Test
    void anUntiedLlamaTrainsWithoutItsLmHead() {
        ModelConfig cfg = ModelConfig.llama().vocabSize(13).dim(16).layers(1).heads(2).context(8).build();
        try (CausalLM lm = CausalLM.create(cfg, ComputeConfig.defaults(), 1); RewardModel rm = RewardModel.create(lm, 2)) {
            assertTrue(rm.backbone().parameters().containsKey("lm_head.weight"), "the backbone carries its head");
            assertTrue(!rm.parameters().containsKey("lm_head.weight") && rm.parameters().containsKey("score.weight"));
            float[] headBefore = rm.backbone().parameters().get("lm_head.weight").toFloatArray();
            RewardTrainingConfig c = RewardTrainingConfig.builder().steps(3).batch(4).lr(1e-2).build();
            double[] losses = new double[3];
            try (RewardModel t = RewardModelTrainer.train(rm, sums(), c, PAD, s -> losses[s.step()] = s.loss())) {
                assertTrue(Double.isFinite(losses[2]));
                assertArrayEquals(headBefore, t.backbone().parameters().get("lm_head.weight").toFloatArray());
                float[] w0 = rm.scoreWeight().toFloatArray();
                float[] w1 = t.scoreWeight().toFloatArray();
                assertTrue(!java.util.Arrays.equals(w0, w1), "the score head trained");
            }
        }
    }

    @Test
    void settingsAreChecked() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> RewardTrainingConfig.builder().schedule("step").build());
        assertEquals("schedule must be \"cosine\", \"constant\" or \"linear\", not \"step\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RewardTrainingConfig.builder().batch(0).build());
        assertThrows(IllegalArgumentException.class, () -> RewardTrainingConfig.builder().lr(0).build());
        try (CausalLM lm = tinyGpt(1); RewardModel rm = RewardModel.create(lm, 2)) {
            assertThrows(IllegalArgumentException.class,
                    () -> RewardModelTrainer.train(rm, List.of(), RewardTrainingConfig.builder().build(), PAD, null));
        }
    }

    @Test
    void linearScheduleWarmsUpThenFallsToTheFloor() {
        LrSchedule s = LrSchedule.warmupLinear(1.0, 4, 14, 0.1);
        assertEquals(0.25, s.lr(0), 1e-12);
        assertEquals(1.0, s.lr(4), 1e-12);
        assertEquals(0.55, s.lr(9), 1e-12); // halfway through the 10 decay steps: 1 - 0.5 * 0.9
        assertEquals(0.1, s.lr(14), 1e-12);
        assertEquals(0.1, s.lr(100), 1e-12);
    }
}
