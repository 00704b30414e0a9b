package dev.rlx.interpreter.experiment;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.engine.rl.RlTrainer;
import dev.rlx.engine.rl.RunListener;
import dev.rlx.engine.rl.StepMetrics;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.diag.SourceText;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Experiments small enough to plan and train in a test: a 1-layer GPT on one-digit additions, rewarded by a
 * score that varies with the completion's text (so means and baselines move from step to step). Scripts are
 * {@link #HEADER} plus the test's own declarations, loaded as `exp.rlx`.
 */
final class TinyExperiments implements AutoCloseable {
    static final String HEADER = """
            import "std/tasks" as tasks
            import "std/credit" as credit
            p = gpt(tokenizer: tasks.arith_tokenizer(), layers: 1, dim: 16, heads: 2, context: 16, seed: 3)
            d = tasks.addition(digits: 1, count: 32, seed: 1)
            score(s) = len(s.completion) / 4.0 + (if contains(s.completion, "1") then 0.5 else 0.0)
            reward shape = score
            """;

    /** A hand-written train record: `%s` takes the test's extra keys. */
    private static final String TRAIN = "experiment e = train { policy: p, data: d, rewards: shape, credit: (b) => b.scores, "
            + "loss: (b) => mean(b.logp), batch: 2, steps: 1, %s }\n";

    /** {@link #TRAIN} with {@code extraKeys}; 2 prompts x 2 completions of at most 4 tokens unless they set a rollout. */
    static String train(String extraKeys) {
        String rollout = extraKeys.contains("rollout:") ? "" : "rollout: {group: 2, max_tokens: 4}, ";
        return TRAIN.formatted(rollout + extraKeys);
    }

    final RlxSession session = new RlxSession(OutputStream.nullOutputStream());

    RlxSession.Script load(String declarations) {
        return session.load(new SourceText("exp.rlx", HEADER + declarations, null), Map.of());
    }

    /** The engine plan of experiment `e` (nothing is trained). */
    RlPlan plan(String declarations, Path runDir) {
        return ExperimentRunner.plan(session, load(declarations), "e", runDir);
    }

    /** The error text planning `e` gives. */
    String planError(String declarations, Path runDir) {
        try {
            plan(declarations, runDir);
        } catch (RlxError e) {
            return e.formatted();
        }
        throw new AssertionError("planning succeeded; expected an error");
    }

    /** Trains `e` to the end and returns its metrics lines. */
    List<JsonObject> run(String declarations, Path runDir) {
        RlPlan plan = plan(declarations, runDir);
        try (RlTrainer.Result r = RlTrainer.run(plan, RunListener.NONE)) {
            return metrics(runDir);
        }
    }

    /** The script error that stops training `e` (the engine may wrap it). */
    String runError(String declarations, Path runDir) {
        RlPlan plan = plan(declarations, runDir);
        try (RlTrainer.Result r = RlTrainer.run(plan, RunListener.NONE)) {
            throw new AssertionError("training succeeded; expected an error");
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof RlxError x) {
                    return x.formatted();
                }
            }
            throw e;
        }
    }

    /** A listener that asks the run to stop (checkpoint and end, as Ctrl-C does) after {@code steps} steps. */
    static RunListener stopAfter(int steps) {
        return new RunListener() {
            private int done;

            @Override
            public void onStep(StepMetrics metrics) {
                done++;
            }

            @Override
            public boolean cancelled() {
                return done == steps;
            }
        };
    }

    static List<JsonObject> metrics(Path runDir) {
        try {
            return Files.readAllLines(runDir.resolve("metrics.jsonl"), StandardCharsets.UTF_8).stream()
                    .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
