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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `rlx evaluate` on the checkpoint of the main example at smoke size. */
class EvaluateTest {
    /**
     * The main example at smoke size, with one change: at 5 SFT steps the policy never writes a right sum, so an
     * accuracy of 0 would match anything; its eval metric here is std/rewards' digit_match (correct: at least half the
     * digits in place), which some completions meet and some do not. `rlx evaluate RUN --data test --metric
     * rw.digit_match` must then give the run's last eval accuracy exactly: the same checkpoint, data, metric and
     * decoding (run.json).
     */
    @Test
    void evaluatingTheFinalCheckpointRepeatsTheRunsLastEval(@TempDir Path dir) throws IOException {
        String example = Files.readString(Path.of("../examples/arith_grpo.rlx"));
        assertTrue(example.contains("metric: correct"), "the main example's eval changed; update this test");
        Path script = dir.resolve("arith_grpo_digits.rlx");
        Files.writeString(script, example.replace("metric: correct", "metric: rw.digit_match"));
        CliTest.Result run = rlx("run", script.toString(), "--set", "steps=3", "--set", "sft_steps=5", "--set",
                "test_size=40", "--runs", dir.resolve("runs").toString());
        assertEquals(0, run.code(), run.err() + run.out());
        Path folder;
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            folder = s.findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(folder.resolve("metrics.jsonl"));
        double last = JsonParser.parseString(lines.getLast()).getAsJsonObject().get("eval_accuracy").getAsDouble();
        assertTrue(last > 0 && last < 1, "the metric must tell completions apart: " + last);

        CliTest.Result e = rlx("evaluate", folder.toString(), "--data", "test", "--metric", "rw.digit_match", "--json");
        assertEquals(0, e.code(), e.err());
        JsonObject o = JsonParser.parseString(e.out()).getAsJsonObject();
        assertEquals(40, o.get("problems").getAsInt());
        assertEquals(last, o.get("greedy_accuracy").getAsDouble(), 0.0);
        assertTrue(o.get("model").getAsString().endsWith("checkpoints/step-3/policy"), o.toString());

        // the same checkpoint as a model folder, other data written as an expression, pass@k from 4 samples
        Path policy = folder.resolve("checkpoints/step-3/policy");
        CliTest.Result p = rlx("evaluate", policy.toString(), "--data",
                "tasks.addition(digits: 2, count: 30, seed: 5, split: \"test\")", "--metric", "rw.digit_match",
                "--samples", "4", "--pass-at", "1", "2", "4", "--max-tokens", "6", "--json");
        assertEquals(0, p.code(), p.err());
        JsonObject q = JsonParser.parseString(p.out()).getAsJsonObject();
        JsonObject pass = q.getAsJsonObject("pass_at_k");
        double p1 = pass.get("1").getAsDouble();
        double p2 = pass.get("2").getAsDouble();
        double p4 = pass.get("4").getAsDouble();
        assertEquals(q.get("sampled_accuracy").getAsDouble(), p1, 1e-12, "pass@1 is the share of correct samples");
        assertTrue(p1 <= p2 && p2 <= p4 && p4 <= 1, pass.toString());
        CliTest.Result noRun = rlx("evaluate", policy.toString(), "--data", "test", "--metric", "rw.exact_match");
        assertEquals(1, noRun.code(), "a model folder has no run bindings: " + noRun.err());

        // errors
        CliTest.Result notAModel = rlx("evaluate", dir.toString(), "--data", "test", "--metric", "correct");
        assertEquals(1, notAModel.code());
        assertTrue(notAModel.err().startsWith("error: " + dir + " is neither a model folder"), notAModel.err());
        // (a model folder: these fail before any decoding, without loading the run's lock)
        String small = "tasks.addition(digits: 2, count: 3, seed: 5, split: \"test\")";
        CliTest.Result noMetric = rlx("evaluate", policy.toString(), "--data", small, "--metric", "no_such_reward");
        assertEquals(1, noMetric.code());
        assertTrue(noMetric.err().contains("no_such_reward"), noMetric.err());
        CliTest.Result notData = rlx("evaluate", policy.toString(), "--data", "1 + 2", "--metric", "rw.exact_match");
        assertEquals(1, notData.code());
        assertTrue(notData.err().startsWith("error: --data 1 + 2 is an int, not a dataset"), notData.err());
        CliTest.Result notReward = rlx("evaluate", policy.toString(), "--data", small, "--metric", "3");
        assertEquals(1, notReward.code());
        assertTrue(notReward.err().startsWith("error: --metric 3 is an int, not a reward"), notReward.err());
        CliTest.Result bigK = rlx("evaluate", policy.toString(), "--data", small, "--metric", "rw.exact_match", "--samples",
                "2", "--pass-at", "4");
        assertEquals(1, bigK.code());
        assertTrue(bigK.err().startsWith("error: --pass-at 4 needs 1 <= k <= --samples (2)"), bigK.err());
        assertEquals(2, rlx("evaluate", folder.toString(), "--metric", "correct").code());
    }
}
