package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.rl.PromptSource;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.engine.rl.RlTrainer;
import dev.rlx.engine.rl.RunListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prompt selection (`select: {...}`) end to end: the default order is untouched, buckets are logged, a run stopped
 * and resumed ends with the metrics of an uninterrupted one, and a curriculum starts on the easiest rows. (The drawn
 * distributions themselves are checked in the engine's PromptSelectorTest; the errors in golden-plan/.)
 */
class PromptSelectionRunTest {
    private final TinyExperiments tiny = new TinyExperiments();
    @TempDir Path dir;

    @AfterEach
    void close() {
        tiny.close();
    }

    /** A 4-step run of 4 prompts x 2 completions, checkpointing every 2 steps; `%s` takes the select record. */
    private static final String RUN = """
            experiment e = train { policy: p, data: d, rewards: shape, credit: (b) => credit.grpo(b.scores, group: b.group),
              loss: (b) => mean(b.logp * b.advantages), optimizer: adamw(lr: 1e-2), rollout: {group: 2, max_tokens: 4},
              batch: 4, steps: 4, checkpoint_every: 2, seed: 3,
              eval: {data: d, metric: shape, every: 100, limit: 2}, %s }
            """;

    private static List<JsonObject> withoutTimes(List<JsonObject> lines, boolean dropSelect) {
        return lines.stream().map(l -> {
            JsonObject o = new JsonObject();
            l.entrySet().stream().filter(e -> !e.getKey().startsWith("time_") && !(dropSelect && e.getKey().startsWith("select/")))
                    .forEach(e -> o.add(e.getKey(), e.getValue()));
            return o;
        }).toList();
    }

    @Test
    void theOrderRuleDrawsExactlyTheDefaultOrder() {
        List<JsonObject> plain = tiny.run(RUN.formatted(""), dir.resolve("plain"));
        List<JsonObject> order = tiny.run(RUN.formatted("select: {rule: \"order\"}"), dir.resolve("order"));
        assertFalse(plain.get(0).keySet().stream().anyMatch(k -> k.startsWith("select/")), plain.get(0).toString());
        assertEquals(withoutTimes(plain, false), withoutTimes(order, true));
        for (JsonObject l : order) assertEquals(4, l.get("select/order").getAsInt(), l.toString());
    }

    @Test
    void learnabilityWithReplayLogsItsBucketsAndResumesBitForBit() throws IOException {
        String run = RUN.formatted("select: {rule: \"learnability\", explore: 0.5, replay: 0.25, capacity: 8}");
        List<JsonObject> whole = tiny.run(run, dir.resolve("whole"));
        int tracked = 0;
        for (JsonObject l : whole) {
            int drawn = l.get("select/order").getAsInt() + l.get("select/learnability").getAsInt()
                    + l.get("select/replay").getAsInt();
            assertEquals(4, drawn, l.toString());
            assertTrue(l.get("select/tracked").getAsInt() >= tracked, l.toString());
            tracked = l.get("select/tracked").getAsInt();
            assertTrue(l.has("select/replay_buffer"), l.toString());
        }
        assertTrue(whole.stream().mapToInt(l -> l.get("select/learnability").getAsInt()).sum() > 0,
                "the test needs learnability draws: " + whole);

        Path split = dir.resolve("split");
        RunListener stopAfterThree = TinyExperiments.stopAfter(3);
        // stopped after step 3 (Ctrl-C checkpoints it), then step 3's checkpoint removed as if the process had been
        // killed before writing it: resume starts from step 2's selection state and must redo step 3 identically
        try (RlTrainer.Result r = RlTrainer.run(tiny.plan(run, split), stopAfterThree)) {
            assertEquals(3, TinyExperiments.metrics(split).size());
        }
        Path step2 = split.resolve("checkpoints/step-2");
        JsonObject saved = JsonParser.parseString(Files.readString(step2.resolve("state.json"))).getAsJsonObject()
                .getAsJsonObject("selection");
        assertTrue(saved.getAsJsonArray("estimates").size() > 0 && saved.has("replay"), saved.toString());
        deleteTree(split.resolve("checkpoints/step-3"));
        try (RlTrainer.Result r = RlTrainer.resume(tiny.plan(run, split), split, RunListener.NONE)) {
            assertEquals(withoutTimes(whole, false), withoutTimes(TinyExperiments.metrics(split), false));
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }

    /** 20 countdown rows, start 0.1: step 1 draws only among the 2 rows of lowest target (ties by row index). */
    @Test
    void aCurriculumStartsOnTheEasiestRows() throws IOException {
        String run = """
                cd = tasks.countdown(numbers: 2, max_number: 9, max_target: 20, count: 20, seed: 4)
                experiment e = train { policy: p, data: cd, rewards: shape, credit: (b) => b.scores,
                  loss: (b) => mean(b.logp), rollout: {group: 2, max_tokens: 4}, batch: 4, steps: 2, seed: 1,
                  select: {rule: "curriculum", field: "target", start: 0.1, ramp: 10} }
                """;
        RlPlan plan = tiny.plan(run, dir);
        PromptSource data = plan.data();
        Set<String> easiest = IntStream.range(0, data.size()).boxed()
                .sorted(Comparator.<Integer>comparingLong(i -> (Long) data.get(i).fields().get("target")).thenComparingInt(i -> i))
                .limit(2).map(i -> data.get(i).text()).collect(Collectors.toSet());
        try (RlTrainer.Result r = RlTrainer.run(plan, RunListener.NONE)) {
            List<JsonObject> m = TinyExperiments.metrics(dir);
            assertEquals(0.1, m.get(0).get("select/admitted").getAsDouble(), 0.0);
            assertEquals(4, m.get(0).get("select/curriculum").getAsInt());
            // ramp 10: step 2 admits 0.1 + 0.9 / 10 = 0.19 of 20 rows -> ceil(3.8) = 4
            assertEquals(0.2, m.get(1).get("select/admitted").getAsDouble(), 0.0);
        }
        for (String line : Files.readAllLines(dir.resolve("samples.jsonl"))) {
            JsonObject s = JsonParser.parseString(line).getAsJsonObject();
            if (s.get("step").getAsInt() == 1) {
                assertTrue(easiest.contains(s.get("prompt").getAsString()), s + " not among " + easiest);
            }
        }
    }
}
