package dev.rlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.interpreter.api.RlxSession;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The `rlx` commands, run in-process with captured output. */
class CliTest {
    record Result(int code, String out, String err) {}

    static Result rlx(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theOptimizingRuntimeIsActive() {
        // Surefire runs with the launcher's JIT flags (cli/pom.xml). "Interpreted" here means the Graal
        // compiler jars are not on --upgrade-module-path, or are newer than the JDK (see STACK.md).
        assertEquals("GraalVM CE", RlxSession.runtimeName(),
                "Truffle fell back to its interpreter: check -XX:+EnableJVMCI and --upgrade-module-path=cli/target/jit");
    }

    @Test
    void checkReportsASyntaxErrorWithLocationAndCaret(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.rlx");
        Files.writeString(bad, "seed = 7\nlr = (1e-4\nsteps = 10\n");
        Result r = rlx("check", bad.toString());
        assertEquals(1, r.code());
        assertEquals(bad + ":3:1: unexpected 'steps'. Expecting: ')'\n"
                + "  steps = 10\n  ^^^^^\n  hint: the '(' opened at 2:6 is not closed\n", r.err());
    }

    @Test
    void checkPassesOnGoodFiles(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.rlx");
        Files.writeString(good, "f(x) = x + 1\n");
        Result r = rlx("check", good.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(good + ": ok\n", r.out());
    }

    @Test
    void everyExampleAndStdlibFileChecks() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.walk(Path.of("../examples")), Files.walk(Path.of("../stdlib")))) {
            files = s.filter(p -> p.toString().endsWith(".rlx")).sorted().toList();
        }
        assertTrue(!files.isEmpty());
        String[] args = Stream.concat(Stream.of("check"), files.stream().map(Path::toString)).toArray(String[]::new);
        Result r = rlx(args);
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void evalPrintsValuesAndJson() {
        assertEquals("7\n", rlx("eval", "--json", "1 + 2 * 3").out());
        assertEquals("[1, {\"a\": \"x\"}]\n", rlx("eval", "--json", "[1, {a: \"x\"}]").out());
        assertEquals("{a: 0.5}\n", rlx("eval", "{a: 1 / 2}").out());
        Result bad = rlx("eval", "1 +");
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("<eval>:1:4: unexpected end of input. Expecting: <expression>"), bad.err());
    }

    @Test
    void evalStopsARunawayExpressionAtItsTimeLimit() {
        Result r = rlx("eval", "--time-limit", "0.5", "let f(n) = if n == 0 then 0 else f(n - 1) + f(n - 1) in f(60)");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("<eval>:1:") && r.err().contains("exceeded its time limit of 0.5 s"), r.err());
        assertTrue(r.err().contains("raise --time-limit"), r.err());
        assertEquals(2, rlx("eval", "--time-limit", "soon", "1").code());
    }

    @Test
    void runAppliesAndPrintsOverrides(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("s.rlx");
        Files.writeString(script, "group = 8\nshow = print(\"group is\", group)\n");
        Result r = rlx("run", script.toString(), "--set", "group=16");
        assertEquals(0, r.code(), r.err());
        assertEquals("group is 16\n", r.out());
        assertEquals("rlx: override group = 16  (was 8 at " + script + ":1:1)\n", r.err());
        Result typeChange = rlx("run", script.toString(), "--set", "group=1.5");
        assertEquals(1, typeChange.code());
        assertTrue(typeChange.err().startsWith(script + ":1:9: --set group=1.5 changes the type of 'group' from int "
                + "to float"), typeChange.err());
    }

    @Test
    void usageErrorsExitWith2() {
        assertEquals(2, rlx("frobnicate").code());
        assertEquals(2, rlx("run").code());
        assertTrue(rlx("help").out().contains("usage: rlx"));
    }

    /** `bench` is rlx-bench's command; the cli alone points at the launcher, which adds it. */
    @Test
    void benchWithoutTheBenchModuleIsAUsageError() {
        Result r = rlx("bench", "model");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("rlx: bench comes with the rlx-bench module; run it through the launcher "
                + "(./rlx bench ...)\nusage: rlx"), r.err());
    }

    @Test
    void pipedReplHandlesMultiLineInputErrorsAndKeepsBindings() {
        String input = """
                x = 40
                add(a,
                    b) = a + b
                add(x, "two")
                add(x,
                  2)
                :type x
                :help trim
                [1,
                 2
                ] == [1, 2]
                :quit
                never = 1
                """;
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            Result r = rlx("repl");
            assertEquals(0, r.code());
            assertEquals("x = 40\nadd = <function add(a, b)>\n42\nx : int\ntrim(s)\n  s without leading and trailing whitespace\n"
                    + "true\n", r.out());
            assertTrue(r.err().startsWith("<repl:2>:2:10: '+' does not support operand types int and string\n"
                    + "      b) = a + b\n           ^^^^^\n  at add (<repl:2>:2:10)\n  at <top> (<repl:3>:1:1)"), r.err());
        } finally {
            System.setIn(saved);
        }
    }

    /** Examples run at smoke size: the main example trains end to end and writes its run folder. */
    @Test
    void mainExampleTrainsAtSmokeSize(@TempDir Path dir) throws IOException {
        Result r = rlx("run", "../examples/arith_grpo.rlx", "--set", "steps=3", "--set", "sft_steps=5",
                "--set", "test_size=20", "--runs", dir.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("final accuracy"), r.out());
        Path run;
        try (Stream<Path> s = Files.list(dir)) {
            run = s.findFirst().orElseThrow();
        }
        assertTrue(run.getFileName().toString().startsWith("add2-"), run.toString());
        for (String f : List.of("recipe.lock.rlx", "overrides.txt", "metrics.jsonl", "samples.jsonl")) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        // GRPO at beta 0 keeps no reference model any more, so there is no KL to log
        GoldenMetrics.check("arith_grpo", run.resolve("metrics.jsonl"), Set.of("kl"));
        assertEquals("steps=3\nsft_steps=5\ntest_size=20\n", Files.readString(run.resolve("overrides.txt")));
    }

    /**
     * Every other example trains end to end at smoke size (3 steps, a 5-step SFT, 4 prompts a step, 20 test
     * problems, plus the example's own extra overrides): the run succeeds, writes the lock file and one metrics
     * line per step with the metric the example is about, and those lines match the golden metrics, except the
     * keys dropped on purpose (the last column): GRPO at beta 0 keeps no reference model, so it logs no `kl`; the
     * critic's value loss is std/loss's `value` now (the same value_loss), whose clip fraction the engine logs as
     * `value_clip_frac`. It differs from the Java loss's `value_clip_fraction` after step 1: that one clipped
     * `old + clamp(v - old)`, which rounds away from v by an ulp and so counted unclipped tokens as clipped.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            arith_ppo_gae        | add2_ppo-   | value_loss      | -              | value_clip_fraction
            arith_rloo           | add2_rloo-  | -               | -              | -
            arith_reinforce_pp   | add2_rpp-   | -               | -              | -
            arith_dapo           | add2_dapo-  | filtered_groups | -              | -
            arith_gspo           | add2_gspo-  | clip_frac       | -              | -
            countdown_grpo       | countdown3- | eval_accuracy   | --set train_size=500 | kl
            countdown_length     | countdown_lambda- | penalized | --set train_size=500 --experiment countdown_lambda | -
            arith_custom_credit  | add2_rank-  | -               | -              | -
            arith_remax          | add2_remax- | baseline_reward | -              | -
            arith_forking_tokens | add2_forking- | kept          | -              | -
            arith_rm             | add2_rm-    | reward/rm       | --set rm_sft_steps=5 --set rm_steps=5 --set pair_test_size=20 | -
            arith_red            | add2_red-   | reward/rm       | --set rm_sft_steps=5 --set rm_steps=5 --experiment add2_red | -
            arith_prime          | add2_prime- | prm_loss        | --experiment add2_prime | -
            countdown_prime      | countdown_prime- | prm_loss   | --set train_size=500 --experiment countdown_prime | -
            arith_methods        | add2_cppo-  | update_rows     | --experiment add2_cppo | -
            arith_schemes        | add2_dr_grpo- | clip_frac     | --experiment add2_dr_grpo | -
            arith_step_dpo       | add2_step_dpo- | margin      | --experiment add2_step_dpo | -
            arith_qrpo           | add2_qrpo-  | implied_reward  | --set prompt_count=32 | -
            chat_math_grpo       | chat_math-  | reward/math_match | --set group=2 --set max_tokens=16 | -
            """)
    void examplesTrainAtSmokeSize(String example, String runPrefix, String metric, String extra, String dropped,
            @TempDir Path dir) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "../examples/" + example + ".rlx",
                "--set", "steps=3", "--set", "sft_steps=5", "--set", "batch=4", "--set", "test_size=20",
                "--runs", dir.toString()));
        if (extra != null) {
            args.addAll(List.of(extra.split(" ")));
        }
        Result r = rlx(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("final accuracy"), r.out());
        Path run;
        try (Stream<Path> s = Files.list(dir)) {
            run = s.findFirst().orElseThrow();
        }
        assertTrue(run.getFileName().toString().startsWith(runPrefix), run.toString());
        assertTrue(Files.exists(run.resolve("recipe.lock.rlx")), "recipe.lock.rlx");
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(3, metrics.size(), String.join("\n", metrics));
        if (metric != null) {
            assertTrue(metrics.get(2).contains("\"" + metric + "\":"), metric + " missing: " + metrics.get(2));
        }
        GoldenMetrics.check(example, run.resolve("metrics.jsonl"), dropped == null ? Set.of() : Set.of(dropped));
    }

    /**
     * The offline preference example at smoke size: its SFT start must be long enough for some of its sampled
     * answers to be right (pairs need a right and a wrong answer to the same prompt), so it has its own test.
     */
    @Test
    void dpoExampleTrainsAtSmokeSize(@TempDir Path dir) throws IOException {
        Result r = rlx("run", "../examples/arith_dpo.rlx", "--experiment", "add2_dpo", "--set", "sft_steps=60", "--set", "pair_prompts=32",
                "--set", "steps=3", "--set", "test_size=20", "--runs", dir.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("final accuracy") && r.out().contains("sampled pairs: "), r.out());
        Path run;
        try (Stream<Path> s = Files.list(dir)) {
            run = s.findFirst().orElseThrow();
        }
        assertTrue(run.getFileName().toString().startsWith("add2_dpo-"), run.toString());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(3, metrics.size(), String.join("\n", metrics));
        assertTrue(metrics.get(2).contains("\"margin\":") && metrics.get(2).contains("\"chosen_reward\":"), metrics.get(2));
        GoldenMetrics.check("arith_dpo", run.resolve("metrics.jsonl"), Set.of());
    }

    /**
     * The step-pair example's second experiment, T-REG, at the same smoke size as the table above; it has its own
     * golden metrics (the table keys goldens by example, and this example's are add2_step_dpo's).
     */
    @Test
    void stepTregExperimentTrainsAtSmokeSize(@TempDir Path dir) throws IOException {
        Result r = rlx("run", "../examples/arith_step_dpo.rlx", "--experiment", "add2_step_treg", "--set", "steps=3",
                "--set", "sft_steps=5", "--set", "batch=4", "--set", "test_size=20", "--runs", dir.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("final accuracy"), r.out());
        Path run;
        try (Stream<Path> s = Files.list(dir)) {
            run = s.findFirst().orElseThrow();
        }
        assertTrue(run.getFileName().toString().startsWith("add2_step_treg-"), run.toString());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(3, metrics.size(), String.join("\n", metrics));
        assertTrue(metrics.get(2).contains("\"reg\":") && metrics.get(2).contains("\"weight\":"), metrics.get(2));
        GoldenMetrics.check("arith_step_treg", run.resolve("metrics.jsonl"), Set.of());
    }

    /**
     * A run's lock file reads its data where the original script did: running the lock from the run folder,
     * and resuming the run, find `data/sums.jsonl` beside the script through the recorded script folder.
     */
    @Test
    void theLockFileAndResumeReadDataRelativeToTheOriginalScript(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/sums.jsonl"), "{\"q\": \"1+2=\", \"a\": 3}\n{\"q\": \"2+2=\", \"a\": 4}\n");
        Path script = dir.resolve("sums.rlx");
        Files.writeString(script, """
                import "std/tasks" as tasks
                import "std/recipes/grpo" as grpo
                p = gpt(tokenizer: tasks.arith_tokenizer(), layers: 1, dim: 16, heads: 2, context: 16)
                experiment sums = grpo.recipe(policy: p, data: tasks.jsonl("data/sums.jsonl", prompt: "q", answer: "a"),
                  rewards: (s) => if s.completion == "3" then 1.0 else 0.0, group: 2, batch: 2, steps: 2, max_tokens: 2)
                """);
        Result first = rlx("run", script.toString(), "--runs", dir.resolve("runs").toString());
        assertEquals(0, first.code(), first.err() + first.out());
        Path run;
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            run = s.findFirst().orElseThrow();
        }
        assertEquals(dir.toAbsolutePath().normalize() + "\n", Files.readString(run.resolve("script_folder.txt")));

        Result again = rlx("run", run.resolve("recipe.lock.rlx").toString(), "--runs", dir.resolve("again").toString());
        assertEquals(0, again.code(), again.err() + again.out());
        try (Stream<Path> s = Files.list(dir.resolve("again"))) {
            assertEquals(run.getFileName(), s.findFirst().orElseThrow().getFileName(), "the lock reproduces the run hash");
        }
        Result resumed = rlx("run", "--resume", run.toString());
        assertEquals(0, resumed.code(), resumed.err() + resumed.out());
    }

    /** The credit scheme of arith_custom_credit (examples/lib/rank.rlx): centered ranks within each group, ties share. */
    @Test
    void customCreditExampleRanksWithinGroups() {
        String input = """
                :load ../examples/lib/rank.rlx
                rank_advantage(tensor([1, 0, 1, 0.5, 2, 2, 2, 2, 3, -7, 0.1, 5]), 4)
                rank_advantage(tensor([0.3, 0.9]), 1)
                """;
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            Result r = rlx("repl");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("tensor([0.6666666, -1.0, 0.6666666, -0.3333333, 0.0, 0.0, 0.0, 0.0, "
                    + "0.33333337, -1.0, -0.3333333, 1.0])\ntensor([0.0, 0.0])\n"), r.out());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void trainRecordErrorsPointAtTheKey(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("bad.rlx");
        Files.writeString(script, """
                import "std/tasks" as tasks
                p = gpt(tokenizer: tasks.arith_tokenizer(), layers: 1, dim: 16, heads: 2, context: 16)
                experiment e = train {
                  policy: p, data: tasks.addition(count: 10), rewards: (s) => 1.0,
                  credit: (b) => b.scores, loss: (b) => b.scores,
                  steps: "ten",
                }
                """);
        Result r = rlx("run", script.toString(), "--runs", dir.resolve("runs").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith(script + ":6:3: train.steps must be an int, got a string\n"), r.err());
    }
}
