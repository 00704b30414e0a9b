package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rlx.engine.data.Row;
import dev.rlx.engine.rl.PromptSource;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.interpreter.data.DatasetValue;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pair dataset where prompts are expected (a train record's data, eval.data) is allowed: its rows are the
 * task's prompts and answers, and rewards see chosen, rejected and mistake as fields of the sample.
 */
class PairDataAsPromptsTest {
    private final TinyExperiments tiny = new TinyExperiments();
    @TempDir Path dir;

    @AfterEach
    void close() {
        tiny.close();
    }

    private static final String PAIRS = """
            pairs = tasks.preferences(d, seed: 2)
            reward says_chosen(s) = if s.completion == s.chosen then 1.0 else 0.0
            experiment e = train { policy: p, data: pairs, rewards: shape + says_chosen, credit: (b) => b.scores,
              loss: (b) => mean(b.logp), batch: 2, steps: 1, rollout: {group: 2, max_tokens: 4},
              eval: {data: pairs[0:4], metric: says_chosen, every: 1} }
            """;

    @Test
    void pairRowsArePromptsWithTheirAnswers() {
        RlPlan plan = tiny.plan(PAIRS, dir);
        assertEquals(32, plan.data().size());
        assertEquals(4, plan.eval().data().size());
        Row source = ((DatasetValue) tiny.session.value(tiny.load(PAIRS), "d")).dataset().get(0);
        PromptSource.Prompt first = plan.data().get(0);
        assertEquals(source.prompt(), first.text());
        assertEquals(source.answer(), first.answer());
        assertEquals(Long.toString((Long) source.answer()), first.fields().get("chosen"));
        assertEquals(List.of("chosen", "rejected", "mistake"), List.copyOf(first.fields().keySet()));
    }

    @Test
    void aRunOnPairDataRewardsWithTheChosenField() {
        List<JsonObject> metrics = tiny.run(PAIRS, dir);
        assertEquals(1, metrics.size());
        JsonObject step = metrics.get(0);
        assertEquals(1, step.get("step").getAsInt());
        assertTrue(step.has("reward/says_chosen"), "the reward reading s.chosen is logged: " + step);
        assertTrue(step.has("eval_accuracy"), "eval ran on pairs: " + step);
    }
}
