package dev.rlx.engine.rl;

import static dev.rlx.engine.rl.RlTrainerTest.TOK;
import static dev.rlx.engine.rl.RlTrainerTest.plan;
import static dev.rlx.engine.rl.RlTrainerTest.strip;
import static dev.rlx.engine.rl.RlTrainerTest.tinyGpt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.run.RunFolder;
import dev.rlx.engine.sample.Generation;
import dev.rlx.engine.sample.KvCacheSampler;
import dev.rlx.engine.sample.SamplingParams;
import dev.rlx.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the stages add to a step: carried state, greedy baselines, the accuracy window, no unread forwards. */
class RlTrainerStagesTest {
    @TempDir
    Path tmp;

    /** REINFORCE with a moving-average baseline whose state is carried by the trainer (REFERENCE.md). */
    static final CreditFunction MOVING_BASELINE = b -> {
        Map<String, Object> s = b.state();
        double beta = (Double) s.get("beta");
        double mean = b.scores().mean().item();
        double base = s.get("baseline") == null ? mean : (Double) s.get("baseline");
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("baseline", beta * base + (1 - beta) * mean);
        next.put("beta", beta);
        return new CreditFunction.Credit(b.scores().sub(base), null, next);
    };

    static Map<String, Object> baselineState() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("baseline", null);
        s.put("beta", 0.9);
        return s;
    }

    @Test
    void carriedStateIsThreadedLoggedAndRestoredBitExactOnResume() {
        try (CausalLM policy = tinyGpt()) {
            Function<Path, RlPlan> mk = dir -> plan(policy, dir).credit(MOVING_BASELINE).initialState(baselineState())
                    .steps(6).checkpointEvery(3).keepLast(1).build();
            RlPlan a = mk.apply(tmp.resolve("a"));
            RlTrainer.run(a, null).close();
            List<JsonObject> la = new RunFolder(a.runDir()).readMetrics();
            // the baseline after step t, worked out from the logged mean rewards: b1 = r1, b(t) = 0.9 b(t-1) + 0.1 r(t)
            double expected = Double.NaN;
            for (JsonObject line : la) {
                double r = line.get("reward").getAsDouble();
                expected = Double.isNaN(expected) ? r : 0.9 * expected + 0.1 * r;
                assertEquals(expected, line.get("state/baseline").getAsDouble(), 1e-6, line.toString());
                assertEquals(0.9, line.get("state/beta").getAsDouble());
            }
            RlPlan b = mk.apply(tmp.resolve("b"));
            assertThrows(IllegalStateException.class, () -> RlTrainer.run(b, new RunListener() {
                @Override public void onStep(StepMetrics m) {
                    if (m.step() == 5) throw new IllegalStateException("simulated kill");
                }
            }));
            RlTrainer.resume(b, b.runDir(), null).close();
            List<JsonObject> lb = new RunFolder(b.runDir()).readMetrics();
            assertEquals(6, lb.size());
            for (int i = 0; i < 6; i++) assertEquals(strip(la.get(i)), strip(lb.get(i)), "step " + (i + 1));
            // a resume that forgot the state would restart the baseline from step 4's mean reward
            double r4 = lb.get(3).get("reward").getAsDouble();
            assertFalse(Math.abs(lb.get(3).get("state/baseline").getAsDouble() - r4) < 1e-9, "state restored, not reset");
        }
    }

    @Test
    void aStateReturnedWithoutADeclaredStateIsAnError() {
        try (CausalLM policy = tinyGpt()) {
            CreditFunction sneaky = b -> new CreditFunction.Credit(b.scores(), null, Map.of("x", 1L));
            RlPlan p = plan(policy, tmp.resolve("s")).credit(sneaky).steps(1).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RlTrainer.run(p, null));
            assertTrue(e.getMessage().contains("declares none"), e.getMessage());
        }
    }

    @Test
    void carriedStateSurvivesJsonExactly() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("a", 0.1 + 0.2);
        s.put("n", 3L);
        s.put("tiny", 4.9e-324);
        s.put("nested", Map.of("flag", true, "name", "x"));
        s.put("list", List.of(1L, 2.5));
        s.put("none", null);
        s.put("nan", Double.NaN);
        s.put("infs", List.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, "NaN"));
        Map<String, Object> back = CarriedState.fromJson(CarriedState.toJson(s).getAsJsonObject());
        assertEquals(s, back);
        // through a checkpoint's state.json: strict JSON (no bare NaN), the same values back, none included
        dev.rlx.engine.run.RunFolder run = new dev.rlx.engine.run.RunFolder(tmp.resolve("run"));
        com.google.gson.JsonObject st = new com.google.gson.JsonObject();
        st.addProperty("step", 1);
        st.add("carried_state", CarriedState.toJson(s));
        java.nio.file.Path ckpt = run.writeCheckpoint(1, st, d -> { });
        String text;
        try {
            text = java.nio.file.Files.readString(ckpt.resolve(dev.rlx.engine.run.RunFolder.STATE));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(text.contains("\"nan\":{\"$double\":\"NaN\"}") && !text.contains(":NaN"), text);
        assertEquals(s, CarriedState.fromJson(dev.rlx.engine.run.RunFolder.readState(ckpt).orElseThrow()
                .getAsJsonObject("carried_state")));
        run.close();
        assertEquals(Map.of("a", 0.1 + 0.2, "n", 3.0, "tiny", 4.9e-324, "nan", Double.NaN), CarriedState.numbers(s));
        assertThrows(IllegalArgumentException.class, () -> CarriedState.check(Map.of("t", new Object())));
    }

    @Test
    void greedyBaselineScoresEachPromptWithItsGreedyCompletion() {
        try (CausalLM policy = tinyGpt()) {
            List<double[]> baselines = new ArrayList<>();
            List<List<Sample>> batches = new ArrayList<>();
            CreditFunction remax = b -> {
                Tensor bs = b.baselineScores();
                assertNotNull(bs, "b.baseline_scores");
                baselines.add(bs.toDoubleArray());
                batches.add(b.samples());
                return new CreditFunction.Credit(b.scores().sub(bs));
            };
            RlPlan p = plan(policy, tmp.resolve("g")).credit(remax).steps(1).batch(4)
                    .rollout(new RlPlan.Rollout(3, 1.0, 1.0, 0, 2, List.of(), RlPlan.Baseline.GREEDY)).build();
            RlTrainer.run(p, null).close();
            double[] got = baselines.get(0);
            List<Sample> rows = batches.get(0);
            assertEquals(12, got.length);
            // independently: the untrained policy's greedy completion of each prompt, scored by the reward
            for (int q = 0; q < 4; q++) {
                Sample first = rows.get(q * 3);
                Generation gen = KvCacheSampler.generate(policy, TOK, List.of(TOK.encodeWithBos(first.prompt())),
                        SamplingParams.builder().maxTokens(2).greedy(true).build());
                String answer = (String) first.answer();
                double want = gen.texts()[0].startsWith(answer) ? 1 : 0;
                for (int k = 0; k < 3; k++) assertEquals(want, got[q * 3 + k], "prompt " + first.prompt());
            }
            JsonObject line = new RunFolder(p.runDir()).readMetrics().get(0);
            assertTrue(line.has("baseline_reward") && line.has("time_ms_baseline"), line.toString());
        }
    }

    /** A reward the untrained policy hits about half the time: the completion starts with a digit below 5. */
    static final Correctness LOW = s -> !s.completion().isEmpty() && s.completion().charAt(0) < '5';
    static final RewardEvaluator LOW_REWARD = samples -> {
        double[] v = new double[samples.size()];
        for (int i = 0; i < v.length; i++) v[i] = LOW.correct(samples.get(i)) ? 1 : 0;
        return RewardEvaluator.Rewards.single("low", v);
    };

    @Test
    void theAccuracyWindowKeepsOnlyGroupsInsideIt() {
        try (CausalLM policy = tinyGpt()) {
            List<Double> accuracies = new ArrayList<>();
            CreditFunction record = b -> {
                List<Sample> s = b.samples();
                for (int q = 0; q < s.size(); q += 4) {
                    int c = 0;
                    for (int k = 0; k < 4; k++) if (LOW.correct(s.get(q + k))) c++;
                    accuracies.add(c / 4.0);
                }
                return new CreditFunction.Credit(b.scores());
            };
            RlPlan p = plan(policy, tmp.resolve("w")).rewards(LOW_REWARD).correctness(LOW).credit(record).steps(3)
                    .batch(4).rollout(new RlPlan.Rollout(4, 1.0, 1.0, 0, 2, List.of()))
                    .dynamicSampling(new RlPlan.DynamicSampling(30, 0.5, 0.5)).build();
            RlTrainer.run(p, null).close();
            assertFalse(accuracies.isEmpty());
            for (double a : accuracies) assertEquals(0.5, a, "a kept group's accuracy");
            double dropped = 0;
            for (JsonObject l : new RunFolder(p.runDir()).readMetrics()) dropped += l.get("filtered_groups").getAsDouble();
            assertTrue(dropped > 0, "the window dropped groups");
        }
    }

    /** max_retries 0: one sampling round a step, the update sees only the groups whose scores differ, no refill. */
    @Test
    void zeroRetriesDropsUniformGroupsWithoutRefilling() {
        try (CausalLM policy = tinyGpt()) {
            List<int[]> correctPerGroup = new ArrayList<>(); // per step: each group's correct count, as the update saw it
            CreditFunction record = b -> {
                List<Sample> s = b.samples();
                int[] counts = new int[s.size() / 4];
                for (int q = 0; q < counts.length; q++) {
                    for (int k = 0; k < 4; k++) if (LOW.correct(s.get(q * 4 + k))) counts[q]++;
                }
                correctPerGroup.add(counts);
                return new CreditFunction.Credit(b.scores());
            };
            RlPlan p = plan(policy, tmp.resolve("z")).rewards(LOW_REWARD).correctness(LOW).credit(record).steps(6)
                    .batch(4).rollout(new RlPlan.Rollout(4, 1.0, 1.0, 0, 2, List.of()))
                    .dynamicSampling(new RlPlan.DynamicSampling(0)).build();
            RlTrainer.run(p, null).close();
            List<JsonObject> lines = new RunFolder(p.runDir()).readMetrics();
            int dropped = 0;
            for (int i = 0; i < lines.size(); i++) {
                JsonObject l = lines.get(i);
                assertEquals(1, l.get("rollouts").getAsInt(), "no refill round");
                int filtered = l.get("filtered_groups").getAsInt();
                dropped += filtered;
                int[] counts = correctPerGroup.get(i);
                if (filtered == 4) {
                    assertEquals(4, counts.length, "a step whose every group scored alike keeps them all (its shape)");
                    continue;
                }
                assertEquals(4 - filtered, counts.length, "kept + dropped = the batch");
                for (int c : counts) assertTrue(c > 0 && c < 4, "step " + i + ": a kept group scored alike: " + c + " of 4");
            }
            assertTrue(dropped > 0, "some group scored alike and was dropped");
        }
    }

    @Test
    void anAccuracyWindowNeedsACorrectness() {
        try (CausalLM policy = tinyGpt()) {
            RlPlan.Builder b = plan(policy, tmp.resolve("x")).correctness(null)
                    .dynamicSampling(new RlPlan.DynamicSampling(3, 0.2, null));
            assertThrows(IllegalArgumentException.class, b::build);
        }
    }

    /** The reference model is kept and run only when the plan asks for it. */
    @Test
    void noReferenceForwardWithoutAReference() {
        try (CausalLM policy = tinyGpt()) {
            List<Tensor> refs = new ArrayList<>();
            CreditFunction look = b -> {
                refs.add(b.refLogp());
                return RlTrainerTest.GRPO.compute(b);
            };
            RlPlan without = plan(policy, tmp.resolve("n")).credit(look).steps(1).build();
            RlTrainer.run(without, null).close();
            assertNull(refs.get(0), "b.ref_logp without a reference");
            JsonObject line = new RunFolder(without.runDir()).readMetrics().get(0);
            assertFalse(line.has("time_ms_reference") || line.has("kl"), "a reference forward ran: " + line);

            RlPlan with = plan(policy, tmp.resolve("r")).credit(look).steps(1).reference(true).build();
            RlTrainer.run(with, null).close();
            assertNotNull(refs.get(1));
            JsonObject withLine = new RunFolder(with.runDir()).readMetrics().get(0);
            assertTrue(withLine.has("time_ms_reference") && withLine.has("kl"), withLine.toString());
        }
    }
}
