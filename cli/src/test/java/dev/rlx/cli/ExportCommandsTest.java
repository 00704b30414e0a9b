package dev.rlx.cli;

import static dev.rlx.cli.CliTest.rlx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.data.DataOrder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `rlx serve-rewards` (batches, term names, a throwing reward, on_reward_error) and `rlx export --to trl` (the
 * refusals with their locations, the project's files and the config mapping). No Python: the exported project
 * runs under TRL in bench/trl_export.sh.
 */
class ExportCommandsTest {
    /** A tiny experiment; EXPERIMENT is replaced by the experiment's declaration. */
    private static final String TEMPLATE = """
            import "std/tasks" as tasks
            import "std/credit" as credit
            import "std/loss" as loss
            import "std/rewards" as rw
            import "std/recipes/grpo" as grpo
            import "std/recipes/dr_grpo" as dr_grpo
            import "std/recipes/rloo" as rloo
            import "std/recipes/gspo" as gspo
            import "std/recipes/cispo" as cispo
            import "std/recipes/sapo" as sapo
            data = tasks.addition(digits: 1, count: 40, seed: 1)
            test = tasks.addition(digits: 1, count: 6, seed: 2, split: "test")
            policy = gpt(tokenizer: tasks.arith_tokenizer(), layers: 1, dim: 32, heads: 2, context: 16, seed: 3)
            reward correct(s) = if to_int(s.completion) == s.answer then 1.0 else 0.0
            reward long(s) = s.length
            reward picky(s) = if s.answer == 7 then fail("no sevens") else 1.0
            EXPERIMENT
            """;

    private static Path script(Path dir, String experiment) throws IOException {
        Path f = dir.resolve("exp.rlx");
        Files.writeString(f, TEMPLATE.replace("EXPERIMENT", experiment));
        return f;
    }

    private static final String GRPO = "experiment e = grpo.recipe(policy: policy, data: data, "
            + "rewards: correct + 0.5 * long + rw.exact_match, group: 4, batch: 2, steps: 3, lr: 1e-4, eps_high: 0.28, "
            + "beta: 0.04, warmup: 1, schedule: \"cosine\", max_tokens: 3, seed: 9, eval: {data: test, every: 2, metric: correct})";

    private record Served(List<JsonObject> lines, String err) {}

    private static Served serve(Path script, String... requests) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String in = String.join("\n", requests) + "\n";
        int code = ExportCommands.serveRewards(new ArrayList<>(List.of(script.toString())),
                new ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        List<JsonObject> lines = out.toString(StandardCharsets.UTF_8).lines()
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        return new Served(lines, err.toString(StandardCharsets.UTF_8));
    }

    private static String sample(String prompt, String completion, int answer, int... tokens) {
        JsonObject s = new JsonObject();
        s.addProperty("prompt", prompt);
        s.addProperty("completion", completion);
        JsonArray t = new JsonArray();
        for (int x : tokens) t.add(x);
        s.add("tokens", t);
        s.addProperty("row", "{\"answer\": " + answer + "}");
        return s.toString();
    }

    private static double[] column(JsonObject answer, String term) {
        JsonArray a = answer.getAsJsonObject("terms").getAsJsonArray(term);
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsDouble();
        return out;
    }

    @Test
    void servesEveryTermOfEachBatchUnderItsName(@TempDir Path dir) throws IOException {
        Path f = script(dir, GRPO);
        // tokens end with EOS (id 2 in the arith tokenizer) when the completion stopped
        String batch1 = "{\"samples\": [" + sample("3+4=", "7", 7, 10, 2) + ", " + sample("3+4=", "8", 7, 11, 2) + ", "
                + sample("1+1=", "2x", 2, 5, 6, 7) + "]}";
        String batch2 = "{\"samples\": [" + sample("2+2=", "4", 4, 9, 2) + "]}";
        Served s = serve(f, batch1, batch2);
        JsonObject header = s.lines().get(0);
        assertEquals("[\"correct\",\"long\",\"exact_match\"]", header.get("terms").toString());
        assertEquals("[1.0,0.5,1.0]", header.get("weights").toString());
        assertEquals("correct", header.get("metric").getAsString());
        assertEquals(3, s.lines().size());
        assertEquals(List.of(1.0, 0.0, 0.0), boxed(column(s.lines().get(1), "correct")));
        assertEquals(List.of(2.0, 2.0, 3.0), boxed(column(s.lines().get(1), "long")));
        assertEquals(List.of(1.0), boxed(column(s.lines().get(2), "exact_match")));
        assertEquals("[0,0,0]", s.lines().get(1).get("errors").toString());
        // the eval metric on request
        Served m = serve(f, "{\"metric\": true, \"samples\": [" + sample("3+4=", "7", 7, 10, 2) + "]}");
        assertEquals(List.of(1.0), boxed(column(m.lines().get(1), "correct")));
    }

    private static List<Double> boxed(double[] xs) {
        List<Double> out = new ArrayList<>();
        for (double x : xs) out.add(x);
        return out;
    }

    @Test
    void aThrowingRewardAnswersWithItsLocationAndTheServerGoesOn(@TempDir Path dir) throws IOException {
        Path f = script(dir, GRPO.replace("0.5 * long", "picky"));
        Served s = serve(f, "{\"samples\": [" + sample("3+4=", "7", 7, 10, 2) + "]}",
                "{\"samples\": [" + sample("2+2=", "4", 4, 9, 2) + "]}", "not json");
        String error = s.lines().get(1).get("error").getAsString();
        assertTrue(error.contains("exp.rlx:16:"), error);
        assertTrue(error.contains("no sevens") && error.contains("reward 'picky'"), error);
        assertEquals(List.of(1.0), boxed(column(s.lines().get(2), "picky")));
        assertTrue(s.lines().get(3).get("error").getAsString().contains("bad request"));
    }

    @Test
    void aDenseRewardIsAnErrorAtItsLocation(@TempDir Path dir) throws IOException {
        Path f = script(dir, "reward dense(s) = s.tokens\n" + GRPO.replace("0.5 * long", "dense"));
        Served s = serve(f, "{\"samples\": [" + sample("3+4=", "7", 7, 10, 2) + "]}");
        String error = s.lines().get(1).get("error").getAsString();
        assertTrue(error.contains("exp.rlx:17:") && error.contains("reward 'dense' returned per-token values"), error);
    }

    @Test
    void onRewardErrorZeroScoresZeroAndCounts(@TempDir Path dir) throws IOException {
        Path f = script(dir, """
                experiment e = train {
                  policy: policy, data: data, rewards: picky + correct,
                  rollout: {group: 2, max_tokens: 3},
                  credit: (b) => credit.grpo(b.scores, group: b.group),
                  loss: (b) => loss.ppo_clip(b.logp, b.old_logp, b.advantages, b.mask),
                  steps: 1, batch: 2, on_reward_error: "zero",
                }""");
        Served s = serve(f, "{\"samples\": [" + sample("3+4=", "7", 7, 10, 2) + ", " + sample("2+2=", "4", 4, 9, 2) + "]}");
        assertEquals(List.of(0.0, 1.0), boxed(column(s.lines().get(1), "picky")));
        assertEquals("[1,0]", s.lines().get(1).get("errors").toString());
    }

    @Test
    void exportRefusesTheCustomCreditExampleNamingTheCreditFunction(@TempDir Path dir) {
        Path out = dir.resolve("proj");
        CliTest.Result r = rlx("export", "../examples/arith_custom_credit.rlx", "--to", "trl", out.toString(),
                "--set", "steps=2", "--set", "sft_steps=5", "--set", "batch=4", "--set", "test_size=20");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("../examples/arith_custom_credit.rlx:40:11: credit: not a credit TRL computes "
                + "(calls rank_advantage (defined at lib/rank.rlx:14:1)"), r.err());
        assertFalse(Files.exists(out), "nothing is written when the export refuses");
    }

    @Test
    void exportListsEveryUnmappablePart(@TempDir Path dir) throws IOException {
        Path f = script(dir, """
                experiment e = train {
                  policy: policy, data: data, rewards: correct,
                  rollout: {group: 2, max_tokens: 3, stop: ["x"]},
                  credit: (b) => credit.grpo(b.scores, group: b.group) * 2.0,
                  loss: (b) => loss.ppo_clip(b.logp, b.old_logp, b.advantages, b.mask, agg: "seq-mean-token-sum"),
                  critic: {lr: 1e-4},
                  dynamic_sampling: {max_retries: 2},
                  select: {replay: 0.5},
                  steps: 1, batch: 2,
                }""");
        CliTest.Result r = rlx("export", f.toString(), "--to", "trl", dir.resolve("p").toString());
        assertEquals(1, r.code(), r.err());
        String e = r.err();
        assertTrue(e.contains("experiment 'e' (") && e.contains("6 parts would not mean the same there"), e);
        assertTrue(e.contains("exp.rlx:22:3: train.critic: a critic"), e);
        assertTrue(e.contains("exp.rlx:23:3: train.dynamic_sampling: dynamic sampling"), e);
        assertTrue(e.contains("exp.rlx:24:3: train.select: prompt selection"), e);
        assertTrue(e.contains("exp.rlx:19:38: train.rollout.stop"), e);
        assertTrue(e.contains("exp.rlx:20:11: credit: not a credit TRL computes (arithmetic on a batch value"), e);
        assertTrue(e.contains("exp.rlx:21:16: loss: ppo_clip with agg \"seq-mean-token-sum\" has no TRL loss_type"), e);
    }

    @Test
    void exportWritesTheProjectWithEverySettingAndItsSource(@TempDir Path dir) throws IOException {
        Path f = script(dir, GRPO);
        Path out = dir.resolve("proj");
        CliTest.Result r = rlx("export", f.toString(), "--to", "trl", out.toString());
        assertEquals(0, r.code(), r.err());
        for (String file : List.of("train.py", "rlx_rewards.py", "requirements.txt", "README.md", "config.yaml",
                "accelerate/single.yaml", "accelerate/multi_gpu.yaml", "accelerate/deepspeed_zero2.yaml",
                "accelerate/multi_node.yaml", "model/config.json", "model/model.safetensors", "model/tokenizer.json",
                "data/train.jsonl", "data/eval.jsonl")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        String cfg = Files.readString(out.resolve("config.yaml"));
        for (String line : List.of(
                "  num_generations: 4  # train.rollout.group",
                "  max_completion_length: 3  # train.rollout.max_tokens",
                "  max_steps: 3  # train.steps * epochs * steps_per_generation",
                "  learning_rate: 0.0001  # train.optimizer.lr",
                "  loss_type: \"dapo\"  # train.loss (std/recipes/grpo.rlx:",
                "  epsilon_high: 0.28  # train.loss (",
                "  beta: 0.04  # train.loss (",
                "  use_bias_correction_kl: false  # train.loss (",
                "  scale_rewards: \"group\"  # train.credit (std/recipes/grpo.rlx:",
                "  seed: 9  # train.seed",
                "  reward_weights: [1.0, 0.5, 1.0]  # train.rewards",
                "  completions_per_step: 8  # train.batch * rollout.group",
                "  lr_schedule: \"cosine\"  # train.optimizer.schedule",
                "  warmup: 1  # train.optimizer.warmup",
                "  eval_every: 2  # train.eval.every",
                "  terms: [\"correct\", \"long\", \"exact_match\"]",
                "  metric: \"correct\"")) {
            assertTrue(cfg.contains(line), line + "\n---\n" + cfg);
        }
        assertTrue(cfg.contains("\"serve-rewards\", \"" + f.toAbsolutePath().normalize() + "\", \"--experiment\", \"e\""), cfg);
        // the training prompts in rlx's order: DataOrder over the 40 rows with the experiment's seed, steps * batch rows
        List<String> rows = Files.readAllLines(out.resolve("data/train.jsonl"));
        assertEquals(6, rows.size());
        DataOrder order = new DataOrder(40, 9, 0);
        for (String row : rows) {
            CliTest.Result p = rlx("eval", "--json", "tasks.addition(digits: 1, count: 40, seed: 1)[" + order.next() + "]");
            JsonObject want = JsonParser.parseString(p.out()).getAsJsonObject();
            JsonObject got = JsonParser.parseString(row).getAsJsonObject();
            assertEquals(want.get("prompt").getAsString(), got.get("prompt").getAsString());
            assertEquals("{\"answer\":" + want.get("answer") + "}", got.get("rlx_row").getAsString());
        }
        assertEquals(6, Files.readAllLines(out.resolve("data/eval.jsonl")).size());
        assertTrue(Files.readString(out.resolve("model/config.json")).contains("GPT2LMHeadModel"));
        // an existing non-empty folder is never overwritten
        CliTest.Result again = rlx("export", f.toString(), "--to", "trl", out.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("exists and is not empty"), again.err());
    }

    @Test
    void theRecipesMapOntoTheirLossTypes(@TempDir Path dir) throws IOException {
        String common = "policy: policy, data: data, rewards: correct, group: 4, batch: 2, steps: 2, max_tokens: 3";
        record Case(String experiment, List<String> lines) {}
        List<Case> cases = List.of(
                new Case("dr_grpo.recipe(" + common + ")", List.of("  loss_type: \"dr_grpo\"", "  scale_rewards: \"none\"")),
                new Case("rloo.recipe(" + common + ")", List.of("  loss_type: \"dapo\"", "  scale_rewards: \"none\"",
                        "  reward_weights: [1.3333333333333333]")),
                new Case("gspo.recipe(" + common + ")", List.of("  loss_type: \"grpo\"",
                        "  importance_sampling_level: \"sequence\"", "  epsilon: 0.0003", "  epsilon_high: 0.0004")),
                new Case("cispo.recipe(" + common + ", beta: 0.01, off_policy_threshold: 0.5)", List.of(
                        "  loss_type: \"cispo\"", "  epsilon_high: 5.0", "  beta: 0.01",
                        "  use_bias_correction_kl: false", "  off_policy_mask_threshold: 0.5")),
                new Case("sapo.recipe(" + common + ", beta: 0.02)", List.of("  loss_type: \"sapo\"",
                        "  sapo_temperature_pos: 1.0", "  sapo_temperature_neg: 1.05", "  beta: 0.02")),
                new Case("train {policy: policy, data: data, rewards: correct, rollout: {group: 4, max_tokens: 3}, "
                        + "credit: (b) => credit.grpo(b.scores, group: 4, scale: \"batch\"), loss: (b) => loss.ppo_clip("
                        + "b.logp, b.old_logp, b.advantages, b.mask, agg: \"seq-mean-token-mean\", keep: "
                        + "loss.entropy_mask(b.entropy, b.mask, top: 0.2)), steps: 2, batch: 2, epochs: 2, minibatch: 4}",
                        List.of("  loss_type: \"grpo\"", "  scale_rewards: \"batch\"", "  top_entropy_quantile: 0.2",
                                "  num_iterations: 2", "  steps_per_generation: 2", "  max_steps: 8")));
        int i = 0;
        for (Case c : cases) {
            Path sub = Files.createDirectories(dir.resolve("c" + i++));
            Path f = script(sub, "experiment e = " + c.experiment());
            CliTest.Result r = rlx("export", f.toString(), "--to", "trl", sub.resolve("p").toString());
            assertEquals(0, r.code(), c.experiment() + "\n" + r.err());
            String cfg = Files.readString(sub.resolve("p/config.yaml"));
            for (String line : c.lines()) {
                assertTrue(cfg.contains(line + "  #"), line + "\n---\n" + cfg);
            }
        }
    }
}
