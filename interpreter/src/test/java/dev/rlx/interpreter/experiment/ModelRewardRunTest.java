package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rlx.engine.rl.RewardEvaluator;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.engine.rl.RlTrainer;
import dev.rlx.engine.rl.RunListener;
import dev.rlx.engine.rl.Sample;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxReward;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rw.model(rm) in experiments: batched in the engine, the same as per sample; RED tokens; normalization. */
class ModelRewardRunTest {
    private final TinyExperiments tiny = new TinyExperiments();
    @TempDir Path dir;

    @AfterEach
    void close() {
        tiny.close();
    }

    private static final String RM = """
            import "std/rewards" as rw
            rm = reward_model(p, seed: 4)
            """;

    /** The step's batched scores are what score_sample gives each sample alone (another forward, unpadded). */
    @Test
    void batchedScoresEqualPerSampleScores() {
        var script = tiny.load(RM + """
                reward judged = rw.model(rm)
                samples = [{prompt: "1+2=", tokens: [5, 2]}, {prompt: "3+4=", tokens: [9, 6, 7, 2]},
                           {prompt: "9+9=", tokens: [3]}]
                alone = map(samples, (s) => score_sample(rm, s))
                """);
        RlxReward judged = (RlxReward) tiny.session.value(script, "judged");
        ScriptRewards rewards = new ScriptRewards(tiny.session, judged, Duration.ofSeconds(10), false);
        List<Sample> samples = List.of(sample("1+2=", 5, 2), sample("3+4=", 9, 6, 7, 2), sample("9+9=", 3));
        RewardEvaluator.Rewards r = rewards.evaluate(samples);
        RlxList alone = (RlxList) tiny.session.value(script, "alone");
        for (int i = 0; i < 3; i++) {
            assertEquals((Double) alone.get(i), r.values()[i][0], 1e-5, "sample " + i);
        }
        assertEquals(List.of("judged"), r.names());
    }

    static Sample sample(String prompt, int... tokens) {
        return new Sample(prompt, "", tokens, tokens.length, "stop", null, Map.of(), 0);
    }

    /** RED token rewards land in b.rewards and each row sums to the logged term (S_final - S_prompt). */
    @Test
    void redTokenRewardsAreDenseAndSumToTheTerm() {
        List<JsonObject> m = tiny.run(RM + """
                experiment e = train { policy: p, data: d, rewards: rw.model(rm, tokens: true),
                  credit: (b) => let gap = sum(b.rewards * b.mask, axis: 1) - b.terms.model in
                    if item(amax(abs(gap))) > 1e-5 then fail("token rewards do not sum to the term: " + str(gap))
                    else b.terms.model,
                  loss: (b) => mean(b.logp), batch: 2, steps: 2, rollout: {group: 2, max_tokens: 4} }
                """, dir);
        assertEquals(2, m.size());
        assertTrue(m.get(0).has("reward/model"), m.get(0).toString());
        assertEquals(0.0, m.get(0).get("reward").getAsDouble(), 0.0, "a dense term weighs 0 in the score");
    }

    /** A step's time split names the reward model's share of the reward time; rule rewards alone log none. */
    @Test
    void theRewardModelsTimeIsPartOfTheRewardTime() {
        List<JsonObject> m = tiny.run(RM + """
                reward nonempty(s) = if s.length > 0 then 1.0 else 0.0
                experiment e = train { policy: p, data: d, rewards: rw.model(rm) + 0.0 * nonempty,
                  credit: (b) => b.scores, loss: (b) => mean(b.logp), batch: 2, steps: 2,
                  rollout: {group: 2, max_tokens: 4} }
                """, dir.resolve("model"));
        for (JsonObject line : m) {
            double model = line.get("time_ms_reward_model").getAsDouble();
            assertTrue(model > 0 && model <= line.get("time_ms_reward").getAsDouble(), line.toString());
        }
        List<JsonObject> rules = tiny.run("""
                reward nonempty(s) = if s.length > 0 then 1.0 else 0.0
                experiment e = train { policy: p, data: d, rewards: nonempty, credit: (b) => b.scores,
                  loss: (b) => mean(b.logp), batch: 2, steps: 1, rollout: {group: 2, max_tokens: 4} }
                """, dir.resolve("rules"));
        assertTrue(!rules.get(0).has("time_ms_reward_model"), rules.get(0).toString());
    }

    private static final String NORMALIZED = RM + """
            experiment e = train { policy: p, data: d, rewards: rw.model(rm, normalize: true),
              credit: (b) => b.scores - mean(b.scores), loss: (b) => mean(b.logp * b.advantages),
              batch: 4, steps: 3, rollout: {group: 2, max_tokens: 4}, optimizer: adamw(lr: 1e-2) }
            """;

    /** After the first batch the running mean is the batch mean and std its sample std (n - 1). */
    @Test
    void normalizedScoresOfTheFirstStepHaveMeanZeroAndSampleStdOne() {
        List<JsonObject> m = tiny.run(NORMALIZED, dir);
        double mean = m.get(0).get("reward").getAsDouble();
        double popStd = m.get(0).get("score_std").getAsDouble();
        assertEquals(0.0, mean, 1e-6);
        assertEquals(Math.sqrt(7.0 / 8.0), popStd, 1e-5, "B = 8 scores standardized with the (n - 1) std");
    }

    /** The running statistics are checkpointed: stopped after step 2 and resumed, step 3 is the same. */
    @Test
    void theNormalizerIsRestoredOnResume() {
        List<JsonObject> whole = tiny.run(NORMALIZED, dir.resolve("whole"));
        Path split = dir.resolve("split");
        RlPlan plan = tiny.plan(NORMALIZED, split);
        RlTrainer.run(plan, TinyExperiments.stopAfter(2)).close();
        RlTrainer.resume(tiny.plan(NORMALIZED, split), split, RunListener.NONE).close();
        List<JsonObject> resumed = TinyExperiments.metrics(split);
        assertEquals(3, resumed.size());
        for (String k : List.of("reward", "score_std", "loss")) {
            assertEquals(whole.get(2).get(k).getAsDouble(), resumed.get(2).get(k).getAsDouble(), 0.0, k);
        }
    }

    @Test
    void aCausalModelIsNotAReward() {
        String err = tiny.planError("""
                import "std/rewards" as rw
                experiment e = train { policy: p, data: d, rewards: rw.model(p), credit: (b) => b.scores,
                  loss: (b) => mean(b.logp), batch: 2, steps: 1 }
                """, dir);
        assertTrue(err.contains("must be a reward model") && err.contains("reward_model("), err);
    }
}
