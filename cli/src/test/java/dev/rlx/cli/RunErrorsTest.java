package dev.rlx.cli;

import static dev.rlx.cli.CliTest.rlx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `rlx run` when a script function fails during training: a reward that throws or runs past
 * reward_timeout, on_reward_error "zero", a credit function of the wrong shape, a loss that is not a
 * scalar. Every run is tiny (1-layer GPT, 2 steps of 4 prompts x 4 completions, 3 tokens).
 */
class RunErrorsTest {
    /** Line 7 holds {@code decls}; the train record's credit is on line 11, its loss on line 12. */
    private static final String TEMPLATE = """
            import "std/tasks" as tasks
            import "std/credit" as credit
            import "std/loss" as loss
            data = tasks.addition(digits: 1, count: 8, seed: 1)
            policy = gpt(tokenizer: tasks.arith_tokenizer(), layers: 1, dim: 32, heads: 2, context: 16, seed: 3)
            reward correct(s) = if to_int(s.completion) == s.answer then 1.0 else 0.0
            DECLS
            experiment tiny = train {
              policy: policy, data: data, rewards: REWARDS,
              rollout: {group: 4, max_tokens: 3},
              credit: CREDIT,
              loss: LOSS,
              steps: 2, batch: 4, seed: 5, checkpoint_every: 1, EXTRA
            }
            """;
    private static final String CREDIT = "(b) => credit.grpo(b.scores, group: b.group)";
    private static final String LOSS = "(b) => loss.ppo_clip(b.logp, b.old_logp, b.advantages, b.mask)";

    private record Run(CliTest.Result result, Path script, Path folder) {}

    private static Run run(Path dir, String decls, String rewards, String credit, String loss, String extra)
            throws IOException {
        Path script = Files.createDirectories(dir).resolve("exp.rlx");
        Files.writeString(script, TEMPLATE.replace("DECLS", decls).replace("REWARDS", rewards)
                .replace("CREDIT", credit).replace("LOSS", loss).replace("EXTRA", extra));
        Path runs = dir.resolve("runs");
        CliTest.Result r = rlx("run", script.toString(), "--runs", runs.toString());
        Path folder;
        try (Stream<Path> s = Files.list(runs)) {
            folder = s.findFirst().orElseThrow();
        }
        return new Run(r, script, folder);
    }

    /** metrics.jsonl as JSON objects (none when no step finished: the file is not created). */
    private static List<JsonObject> metrics(Path folder) throws IOException {
        if (!Files.exists(folder.resolve("metrics.jsonl"))) {
            return List.of();
        }
        return Files.readAllLines(folder.resolve("metrics.jsonl")).stream()
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    @Test
    void aRewardThatThrowsStopsTheRunWithItsLocationAndTheSample(@TempDir Path dir) throws IOException {
        // to_int gives none for a completion that is not a number, and none + 1 is an error
        Run run = run(dir, "reward parsed(s) = if to_int(s.completion) + 1 == s.answer + 1 then 1.0 else 0.0",
                "parsed", CREDIT, LOSS, "");
        String err = run.result().err();
        assertEquals(1, run.result().code(), err);
        assertTrue(err.contains(run.script() + ":7:23: '+' does not support operand types none and int\n"
                + "  reward parsed(s) = if to_int(s.completion) + 1 == s.answer + 1 then 1.0 else 0.0\n"
                + "                        ^^^^^^^^^^^^^^^^^^^^^^^^\n"
                + "  at parsed (" + run.script() + ":7:23)\n"), err);
        // the offending sample: its completion is not a number
        Matcher m = Pattern.compile("\n  while scoring reward 'parsed' on sample \\{prompt: \"\\d\\+\\d=\", "
                + "completion: \"([^\"]*)\", answer: \\d+, tokens: \\[[0-9, ]*\\], length: \\d, finish: \"(stop|length)\"}\n"
                + "  hint: to score failing rewards 0 instead \\(counted as reward_errors\\), set on_reward_error: "
                + "\"zero\" in the experiment\n?$").matcher(err);
        assertTrue(m.find(), err);
        assertTrue(!m.group(1).matches("-?[0-9]+"), m.group(1));
        assertEquals(0, metrics(run.folder()).size(), "no step completed");
    }

    @Test
    void aRewardErrorMidRunLeavesOnlyCompleteFilesInTheRunFolder(@TempDir Path dir) throws IOException {
        // with this data order (data seed 1, run seed 5), "9+3=" is first drawn at step 2
        Run run = run(dir, "reward picky(s) = if s.prompt == \"9+3=\" then fail(\"no score for \" + s.prompt) else 0.0",
                "correct + picky", CREDIT, LOSS, "");
        String err = run.result().err();
        assertEquals(1, run.result().code(), err);
        assertTrue(err.contains(run.script() + ":7:46: no score for 9+3=\n"), err);
        assertTrue(err.contains("\n  while scoring reward 'picky' on sample {prompt: \"9+3=\", completion: \""), err);
        assertEquals(List.of(1), metrics(run.folder()).stream().map(o -> o.get("step").getAsInt()).toList(),
                "step 1 is logged, the failed step 2 is not");
        try (Stream<Path> s = Files.list(run.folder().resolve("checkpoints"))) {
            assertEquals(List.of("step-1"), s.map(p -> p.getFileName().toString()).toList());
        }
        assertTrue(Files.isRegularFile(run.folder().resolve("checkpoints/step-1/state.json")));
        try (Stream<Path> s = Files.walk(run.folder())) {
            List<String> partial = s.map(p -> run.folder().relativize(p).toString())
                    .filter(p -> p.startsWith(".") || p.contains("/.") || p.contains("tmp")).toList();
            assertEquals(List.of(), partial, "temporary files left in the run folder");
        }
        for (String line : Files.readAllLines(run.folder().resolve("samples.jsonl"))) {
            assertEquals(1, JsonParser.parseString(line).getAsJsonObject().get("step").getAsInt(), line);
        }
    }

    @Test
    void onRewardErrorZeroFinishesTheRunAndLogsTheCount(@TempDir Path dir) throws IOException {
        Run run = run(dir, "reward broken(s) = fail(\"broken\")", "correct + 0.5 * broken", CREDIT, LOSS,
                "on_reward_error: \"zero\",");
        assertEquals(0, run.result().code(), run.result().err());
        List<JsonObject> lines = metrics(run.folder());
        assertEquals(2, lines.size());
        for (JsonObject o : lines) {
            // every one of the 16 samples (4 prompts x 4 completions) fails once, and scores 0 for that term
            assertEquals(16, o.get("reward_errors").getAsInt(), o.toString());
            assertEquals(0.0, o.get("reward/broken").getAsDouble(), o.toString());
            assertTrue(o.has("reward/correct"), o.toString());
        }
        assertTrue(run.result().out().contains("  reward errors      32 scored 0 (per step: reward_errors in metrics.jsonl)\n"),
                run.result().out());
        String sample = Files.readAllLines(run.folder().resolve("samples.jsonl")).get(0);
        assertTrue(sample.contains("\"reward_errors\":1"), sample);
    }

    @Test
    void aRewardPastRewardTimeoutIsCancelledWithTheSample(@TempDir Path dir) throws IOException {
        // exponential but shallow recursion: runs for hours unless cancelled
        long start = System.nanoTime();
        Run run = run(dir, "fib(n) = if n < 2 then n else fib(n - 1) + fib(n - 2)\nreward slow(s) = fib(60) * 0.0",
                "slow", CREDIT, LOSS, "reward_timeout: 0.2,");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        String err = run.result().err();
        assertEquals(1, run.result().code(), err);
        assertTrue(err.contains(":7:1: 'slow' exceeded its time limit of 0.2 s and was cancelled\n"
                + "  fib(n) = if n < 2 then n else fib(n - 1) + fib(n - 2)\n"), err);
        assertTrue(err.contains("\n  hint: make it cheaper, or raise train.reward_timeout\n"), err);
        assertTrue(err.contains("\n  at slow (" + run.script() + ":8:18)\n"
                + "  while scoring reward 'slow' on sample {prompt: \""), err);
        assertTrue(seconds < 60, "took " + seconds + " s");
    }

    /** The credit function's error: `exp.rlx:11:11: ...` and the line with a caret under the lambda. */
    private static void assertCreditError(Run run, String message) {
        String err = run.result().err();
        assertEquals(1, run.result().code(), err);
        assertTrue(err.startsWith("rlx: run folder " + run.folder() + "\n" + run.script() + ":11:11: " + message + "\n"
                + "    credit: "), err);
        assertTrue(err.contains("\n            ^^^^"), err);
    }

    @Test
    void creditOfTheWrongShapeNamesTheFunctionAndTheExpectedShape(@TempDir Path dir) throws IOException {
        Run shortRows = run(dir.resolve("a"), "", "correct", CREDIT + "[1:]", LOSS, "");
        assertCreditError(shortRows, "the credit function returned advantages of shape [15]; expected a tensor "
                + "[B] = [16] or [B,T] = [16, 3] (B = prompts x group, T = the longest completion)");
        Run longRows = run(dir.resolve("b"), "", "correct",
                "(b) => concat([b.mask, ones([b.mask.shape[0], 1])], axis: 1)", LOSS, "");
        assertCreditError(longRows, "the credit function returned advantages of shape [16, 4]; expected a tensor "
                + "[B] = [16] or [B,T] = [16, 3] (B = prompts x group, T = the longest completion)");
        Run badReturns = run(dir.resolve("c"), "", "correct", "(b) => {advantages: b.scores, returns: b.scores}",
                LOSS, "");
        assertCreditError(badReturns, "the credit function returned returns of shape [16]; expected a tensor [B,T] = "
                + "[16, 3] or none");
    }

    @Test
    void aLossThatIsNotAScalarIsAnErrorAtTheLossFunction(@TempDir Path dir) throws IOException {
        Run perToken = run(dir.resolve("a"), "", "correct", CREDIT, "(b) => b.logp * b.advantages", "");
        String err = perToken.result().err();
        assertEquals(1, perToken.result().code(), err);
        assertTrue(err.contains(perToken.script() + ":12:9: the loss function returned a tensor of shape [16, 3]; "
                + "expected a scalar tensor or a record {loss: <scalar tensor>, ...} (reduce it, e.g. with mean or "
                + "loss.aggregate)\n    loss: (b) => b.logp * b.advantages,\n          ^^^^"), err);
        Run noLoss = run(dir.resolve("b"), "", "correct", CREDIT, "(b) => {clip_frac: 0.0}", "");
        err = noLoss.result().err();
        assertEquals(1, noLoss.result().code(), err);
        assertTrue(err.contains(noLoss.script() + ":12:9: the loss function returned a record without 'loss' "
                + "(fields: clip_frac); expected a scalar tensor or a record {loss: <scalar tensor>, ...}\n"), err);
    }

    @Test
    void aCreditFunctionThatTakesTwoArgumentsIsAnErrorBeforeTraining(@TempDir Path dir) throws IOException {
        Run run = run(dir, "", "correct", "(b, group) => b.scores", LOSS, "");
        String err = run.result().err();
        assertEquals(1, run.result().code(), err);
        assertEquals(run.script() + ":11:11: the credit function is called with one argument (the batch), but its "
                + "signature is lambda(b, group)\n    credit: (b, group) => b.scores,\n            "
                + "^^^^^^^^^^^^^^^^^^^^^^\n", err);
    }

    @Test
    void nonFiniteAdvantagesStopTheRunAsDivergedWithExitCode1(@TempDir Path dir) throws IOException {
        Run run = run(dir, "", "correct", "(b) => b.scores / (b.scores * 0.0)", LOSS, "");
        String err = run.result().err();
        assertEquals(1, run.result().code(), err);
        assertTrue(err.startsWith("rlx: run folder " + run.folder() + "\nrlx: training diverged: step 1: advantages is "),
                err);
        assertTrue(err.endsWith(" (training stopped; last good checkpoint: none)\n"), err);
        assertEquals(0, metrics(run.folder()).size(), "no step completed");
    }
}
