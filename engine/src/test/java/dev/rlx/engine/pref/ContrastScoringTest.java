package dev.rlx.engine.pref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.engine.data.LabeledTokens;
import dev.rlx.engine.data.PreferenceExample;
import dev.rlx.engine.data.TokenPair;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.engine.tensor.TensorScope;
import dev.rlx.engine.train.ScoreBatch;
import dev.rlx.engine.train.Scorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * T-REG's contrastive prompts in the preference loop: the batch's better_* and worse_* fields are the token
 * log-probs of the pair's own completions after the instructed prompts, scored without gradient by the reference
 * (fixed through the run) or by the policy as it trains.
 */
class ContrastScoringTest {
    private static final List<String> FIELDS = PreferenceBatch.CONTRAST_PAIR_FIELDS;

    @TempDir
    Path tmp;

    /** Prompt "3": chosen "4", rejected "2"; the instructions are digits written in front of the prompt. */
    private static final TokenPair PAIR = (TokenPair) PreferenceTrainerTest.nextDigitPairs().get(3);
    private static final int[] BETTER = PreferenceTrainerTest.TOK.encodeWithBos("93");
    private static final int[] WORSE = PreferenceTrainerTest.TOK.encodeWithBos("113");

    private static PreferencePlan plan(CausalLM policy, PreferenceLoss loss, Contrast.Scorer scorer, Path dir) {
        return new PreferencePlan(policy, PreferenceTrainerTest.TOK, List.<PreferenceExample>of(PAIR), loss,
                RlPlan.Optimizer.defaults().withLr(1e-2), 2, 1, true, null, null, 0, 1, 5, dir,
                new Contrast(List.of(BETTER), List.of(WORSE), scorer));
    }

    /** The contrast fields of every step, as read by the loss. */
    private static List<Map<String, double[]>> fieldsPerStep(CausalLM policy, Contrast.Scorer scorer, Path dir) {
        List<Map<String, double[]>> seen = new ArrayList<>();
        PreferenceLoss probe = b -> {
            assertTrue(b.contrast() && b.fields().containsAll(FIELDS), b.fields().toString());
            Map<String, double[]> f = new HashMap<>();
            for (String k : FIELDS) f.put(k, b.field(k).toDoubleArray());
            seen.add(f);
            return PreferenceTrainerTest.DPO.compute(b);
        };
        PreferenceTrainer.run(plan(policy, probe, scorer, dir), null).close();
        return seen;
    }

    /** Log-probs [2,T] of (chosen, rejected) after {@code prompt}, scored directly by {@code model}. */
    private static double[] direct(CausalLM model, int[] prompt) {
        try (TensorScope scope = TensorScope.open()) {
            int pad = Math.max(0, PreferenceTrainerTest.TOK.padId());
            ScoreBatch sb = ScoreBatch.of(scope.manager(), List.of(prompt, prompt),
                    new int[][] {PAIR.chosen(), PAIR.rejected()}, null, pad, model.dataType());
            float[] lp = Scorer.logProbs(model, sb, 1.0, false).toFloatArray();
            double[] out = new double[lp.length];
            for (int i = 0; i < lp.length; i++) out[i] = lp[i];
            return out;
        }
    }

    private static void assertClose(double[] expected, double[] got, String what) {
        assertEquals(expected.length, got.length, what);
        for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 1e-5, what + " [" + i + "]");
    }

    private static void assertFieldsAreTheDirectScores(double[] better, double[] worse, Map<String, double[]> f,
                                                       String when) {
        int t = PAIR.chosen().length;
        assertClose(java.util.Arrays.copyOfRange(better, 0, t), f.get("better_chosen_token_logp"), when);
        assertClose(java.util.Arrays.copyOfRange(better, t, 2 * t), f.get("better_rejected_token_logp"), when);
        assertClose(java.util.Arrays.copyOfRange(worse, 0, t), f.get("worse_chosen_token_logp"), when);
        assertClose(java.util.Arrays.copyOfRange(worse, t, 2 * t), f.get("worse_rejected_token_logp"), when);
    }

    @Test
    void theReferenceScoresTheCompletionsAfterEachInstructedPromptAtEveryStep() {
        try (CausalLM policy = PreferenceTrainerTest.tinyGpt()) {
            // the plan trains a copy: the original is the reference
            double[] better = direct(policy, BETTER);
            double[] worse = direct(policy, WORSE);
            List<Map<String, double[]>> steps = fieldsPerStep(policy, Contrast.Scorer.REFERENCE, tmp.resolve("r"));
            assertFieldsAreTheDirectScores(better, worse, steps.get(0), "step 1");
            assertFieldsAreTheDirectScores(better, worse, steps.get(1), "step 2: the reference does not move");
            double gap = Math.abs(better[0] - worse[0]);
            assertTrue(gap > 1e-4, "the two instructions give different scores: " + gap);
        }
    }

    @Test
    void thePolicyScorerFollowsThePolicyAsItTrains() {
        try (CausalLM policy = PreferenceTrainerTest.tinyGpt()) {
            double[] better = direct(policy, BETTER);
            double[] worse = direct(policy, WORSE);
            List<Map<String, double[]>> steps = fieldsPerStep(policy, Contrast.Scorer.POLICY, tmp.resolve("p"));
            assertFieldsAreTheDirectScores(better, worse, steps.get(0), "step 1: the policy is still the reference");
            double moved = Math.abs(steps.get(1).get("better_chosen_token_logp")[0] - better[0]);
            assertTrue(moved > 1e-4, "after an update the policy scores differently: " + moved);
        }
    }

    @Test
    void labeledRowsGetTheirOwnContrastFields() {
        LabeledTokens row = new LabeledTokens(PAIR.prompt(), PAIR.chosen(), true);
        List<Map<String, double[]>> seen = new ArrayList<>();
        PreferenceLoss probe = b -> {
            assertEquals(PreferenceBatch.CONTRAST_LABELED_FIELDS, b.fields().subList(b.fields().size() - 2,
                    b.fields().size()));
            Map<String, double[]> f = new HashMap<>();
            for (String k : PreferenceBatch.CONTRAST_LABELED_FIELDS) f.put(k, b.field(k).toDoubleArray());
            seen.add(f);
            return new dev.rlx.engine.rl.LossFunction.Loss(b.field("logp").mean().neg());
        };
        try (CausalLM policy = PreferenceTrainerTest.tinyGpt()) {
            double[] better = direct(policy, BETTER);
            double[] worse = direct(policy, WORSE);
            PreferenceTrainer.run(new PreferencePlan(policy, PreferenceTrainerTest.TOK, List.<PreferenceExample>of(row),
                    probe, RlPlan.Optimizer.defaults(), 1, 1, true, null, null, 0, 1, 0, tmp.resolve("l"),
                    new Contrast(List.of(BETTER), List.of(WORSE), Contrast.Scorer.REFERENCE)), null).close();
            int t = PAIR.chosen().length;
            assertClose(java.util.Arrays.copyOfRange(better, 0, t), seen.get(0).get("better_token_logp"), "better");
            assertClose(java.util.Arrays.copyOfRange(worse, 0, t), seen.get(0).get("worse_token_logp"), "worse");
        }
    }

    @Test
    void withoutContrastTheBatchHasNoContrastFieldsAndBadPlansAreRefused() {
        List<Boolean> absent = new ArrayList<>();
        PreferenceLoss probe = b -> {
            absent.add(!b.contrast() && FIELDS.stream().noneMatch(b.fields()::contains));
            return PreferenceTrainerTest.DPO.compute(b);
        };
        try (CausalLM policy = PreferenceTrainerTest.tinyGpt()) {
            PreferenceTrainer.run(PreferenceTrainerTest.plan(policy, probe, 1, tmp.resolve("n"), 0), null).close();
            assertEquals(List.of(true), absent);
            IllegalArgumentException noRef = assertThrows(IllegalArgumentException.class, () -> new PreferencePlan(
                    policy, PreferenceTrainerTest.TOK, List.<PreferenceExample>of(PAIR), probe,
                    RlPlan.Optimizer.defaults(), 1, 1, false, null, null, 0, 1, 0, tmp,
                    new Contrast(List.of(BETTER), List.of(WORSE), Contrast.Scorer.REFERENCE)));
            assertEquals("contrast scored by the reference needs reference: true", noRef.getMessage());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PreferencePlan(
                    policy, PreferenceTrainerTest.TOK, PreferenceTrainerTest.nextDigitPairs(), probe,
                    RlPlan.Optimizer.defaults(), 1, 1, true, null, null, 0, 1, 0, tmp,
                    new Contrast(List.of(BETTER), List.of(WORSE), Contrast.Scorer.POLICY)));
            assertEquals("contrast has prompts for 1 examples, the plan has 10", e.getMessage());
            assertFalse(policy.isTrainable());
        }
    }
}
