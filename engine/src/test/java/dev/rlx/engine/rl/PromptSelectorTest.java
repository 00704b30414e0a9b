package dev.rlx.engine.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prompt selection draws what its rule declares. Each statistical check uses a fixed seed and a tolerance worked
 * out from the rule alone: a bucket's share is a binomial count, accepted within 4 standard deviations
 * (sqrt(N p (1-p))); how draws spread over prompts is tested with Pearson's chi-square against the rule's
 * probabilities, accepted below the 0.001 critical value of its degrees of freedom (df 3: 16.27; df 19: 43.82).
 */
class PromptSelectorTest {
    private static final int N = 20000;

    private static PromptSource prompts(int n) {
        List<PromptSource.Prompt> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new PromptSource.Prompt("p" + i, i));
        return PromptSource.of(out);
    }

    private static RlPlan.Selection selection(RlPlan.SelectionRule rule, double explore, double[] difficulty,
                                              double start, int ramp, double replay, int capacity) {
        return new RlPlan.Selection(rule, explore, 0.5, difficulty, start, ramp, replay, 0.5, capacity);
    }

    private static PromptSelector selector(RlPlan.Selection sel, PromptSource data, long seed) {
        return new PromptSelector(sel, data, new PromptOrder(data, seed, 0), seed);
    }

    /** The step's draws per bucket, as the metrics line logs them. */
    private static Map<String, Object> logged(PromptSelector s) {
        Map<String, Object> m = new HashMap<>();
        s.log(m);
        return m;
    }

    private static int drawn(PromptSelector s, String bucket) {
        return (Integer) logged(s).get("select/" + bucket);
    }

    private static double chiSquare(int[] counts, double[] probabilities) {
        long n = 0;
        for (int c : counts) n += c;
        double x = 0;
        for (int i = 0; i < counts.length; i++) {
            double e = n * probabilities[i];
            x += (counts[i] - e) * (counts[i] - e) / e;
        }
        return x;
    }

    private static void assertBinomial(int count, int n, double p, String what) {
        double sd = Math.sqrt(n * p * (1 - p));
        assertTrue(Math.abs(count - n * p) <= 4 * sd, what + ": " + count + " of " + n + ", expected " + n * p + " +- " + 4 * sd);
    }

    /**
     * Seen prompts with success rates 0, .1, .3, .5, .8, 1 have learnability weights 0, .09, .21, .25, .16, 0 (sum .71);
     * with explore .2 a draw takes the seeded order with probability .2, else prompt i with probability w_i / .71.
     */
    @Test
    void learnabilityDrawsInProportionToPTimesOneMinusP() {
        PromptSource data = prompts(10);
        PromptSelector s = selector(selection(RlPlan.SelectionRule.LEARNABILITY, 0.2, null, 0.25, 1, 0, 1), data, 11);
        int[] correct = {0, 1, 3, 5, 8, 10};
        for (int i = 0; i < correct.length; i++) s.observe(i, correct[i], 10);
        s.beginStep(1);
        int[] learnable = new int[10];
        int before = 0;
        for (int d = 0; d < N; d++) {
            int i = s.next();
            int after = drawn(s, "learnability");
            if (after > before) learnable[i]++;
            before = after;
        }
        assertBinomial(drawn(s, "order"), N, 0.2, "order draws");
        assertEquals(N, drawn(s, "order") + drawn(s, "learnability"));
        for (int i : new int[] {0, 5, 6, 7, 8, 9}) assertEquals(0, learnable[i], "weight 0 or unseen: prompt " + i);
        double[] w = {0.09 / 0.71, 0.21 / 0.71, 0.25 / 0.71, 0.16 / 0.71};
        double x = chiSquare(new int[] {learnable[1], learnable[2], learnable[3], learnable[4]}, w);
        assertTrue(x < 16.27, "chi-square " + x + " (df 3)");
        assertEquals(6, logged(s).get("select/tracked"));
    }

    /** When no seen prompt has weight (all solved or all failed), every draw takes the seeded order. */
    @Test
    void learnabilityFallsBackToTheOrderWhenNothingIsLearnable() {
        PromptSource data = prompts(6);
        PromptSelector s = selector(selection(RlPlan.SelectionRule.LEARNABILITY, 0.0, null, 0.25, 1, 0, 1), data, 3);
        s.observe(0, 0, 4);
        s.observe(1, 4, 4);
        s.beginStep(1);
        PromptOrder plain = new PromptOrder(data, 3, 0);
        for (int d = 0; d < 12; d++) assertEquals(plain.nextIndex(), s.next());
        assertEquals(12, drawn(s, "order"));
    }

    /**
     * Difficulty (37 i) mod 100 over 100 rows, start .2, ramp 4: the share admitted is .2 + .8 (step - 1) / 4, i.e.
     * 20, 40, 60, 80, then all 100 rows; step 1 draws uniformly among the 20 rows of difficulty below 20.
     */
    @Test
    void aCurriculumDrawsUniformlyAmongTheEasiestShare() {
        PromptSource data = prompts(100);
        double[] difficulty = new double[100];
        for (int i = 0; i < 100; i++) difficulty[i] = (37 * i) % 100;
        PromptSelector s = selector(selection(RlPlan.SelectionRule.CURRICULUM, 0, difficulty, 0.2, 4, 0, 1), data, 5);
        int[] expected = {20, 40, 60, 80, 100, 100};
        for (int step = 1; step <= 6; step++) assertEquals(expected[step - 1], s.admitted(step), "step " + step);
        s.beginStep(1);
        int[] byDifficulty = new int[20];
        for (int d = 0; d < N / 2; d++) {
            double level = difficulty[s.next()];
            assertTrue(level < 20, "drew difficulty " + level + " at step 1");
            byDifficulty[(int) level]++;
        }
        double[] uniform = new double[20];
        java.util.Arrays.fill(uniform, 1 / 20.0);
        double x = chiSquare(byDifficulty, uniform);
        assertTrue(x < 43.82, "chi-square " + x + " (df 19)");
        assertEquals(N / 2, drawn(s, "curriculum"));
        assertEquals(0.2, (Double) logged(s).get("select/admitted"), 0.0);
    }

    /**
     * Failed prompts (accuracy below .5) queue for replay, the oldest leaving a full buffer and solved ones leaving at
     * once; with replay .3 a draw replays with probability .3 while the buffer holds a prompt, uniformly among them.
     */
    @Test
    void replayDrawsFailedPromptsAtItsShare() {
        PromptSource data = prompts(50);
        PromptSelector s = selector(selection(RlPlan.SelectionRule.ORDER, 0, null, 0.25, 1, 0.3, 5), data, 9);
        for (int i = 0; i <= 5; i++) s.observe(i, 0, 4); // 0 is pushed out by 5
        s.observe(3, 3, 4); // solved: leaves
        s.observe(7, 2, 4); // accuracy .5 is not below .5: never queued
        assertEquals("[1,2,4,5]", s.save().get("replay").toString());
        s.beginStep(1);
        int[] replayed = new int[50];
        int before = 0;
        for (int d = 0; d < N; d++) {
            int i = s.next();
            int after = drawn(s, "replay");
            if (after > before) {
                replayed[i]++;
                s.observe(i, 0, 4); // fails again: the buffer keeps its four prompts
            }
            before = after;
        }
        assertBinomial(drawn(s, "replay"), N, 0.3, "replay draws");
        assertEquals(N, drawn(s, "replay") + drawn(s, "order"));
        double x = chiSquare(new int[] {replayed[1], replayed[2], replayed[4], replayed[5]}, new double[] {.25, .25, .25, .25});
        assertTrue(x < 16.27, "chi-square " + x + " (df 3)");
        assertEquals(4, logged(s).get("select/replay_buffer"));
    }

    /** No selection: the seeded order itself, nothing logged, nothing checkpointed. */
    @Test
    void withoutARuleTheSeededOrderIsUntouched() {
        PromptSource data = prompts(7);
        PromptSelector s = selector(null, data, 4);
        PromptOrder plain = new PromptOrder(data, 4, 0);
        s.beginStep(1);
        for (int d = 0; d < 30; d++) assertEquals(plain.nextIndex(), s.next());
        assertTrue(logged(s).isEmpty());
        assertNull(s.save());
        assertTrue(!s.observes());
    }

    /**
     * A selector restored from its saved JSON (through text, as a checkpoint stores it) and the order's cursor draws
     * and learns exactly as the one that kept running, step after step.
     */
    @Test
    void aRestoredSelectorContinuesBitForBit() {
        PromptSource data = prompts(40);
        RlPlan.Selection sel = new RlPlan.Selection(RlPlan.SelectionRule.LEARNABILITY, 0.3, 0.3, null, 0.25, 1, 0.2, 0.5, 8);
        PromptOrder order = new PromptOrder(data, 21, 0);
        PromptSelector a = new PromptSelector(sel, data, order, 21);
        for (int step = 1; step <= 5; step++) play(a, step);
        JsonObject saved = JsonParser.parseString(a.save().toString()).getAsJsonObject();
        PromptSelector b = new PromptSelector(sel, data, new PromptOrder(data, 21, order.cursor()), 21);
        b.restore(saved);
        for (int step = 6; step <= 12; step++) assertArrayEquals(play(a, step), play(b, step), "step " + step);
        assertEquals(a.save().toString(), b.save().toString());
    }

    /** A step of 8 draws whose "accuracies" (out of 7) depend on the prompt and step, fed back as observations. */
    private static int[] play(PromptSelector s, int step) {
        s.beginStep(step);
        int[] drawn = new int[8];
        for (int d = 0; d < 8; d++) {
            drawn[d] = s.next();
            s.observe(drawn[d], (drawn[d] * 3 + step) % 8, 7);
        }
        return drawn;
    }
}
