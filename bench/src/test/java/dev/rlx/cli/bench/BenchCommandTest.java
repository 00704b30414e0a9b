package dev.rlx.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** `rlx bench ...` in-process: the rlx command line with rlx-bench's command added, as the launcher runs it. */
class BenchCommandTest {
    record Result(int code, String out, String err) {}

    static Result rlx(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = new Cli(o, new PrintStream(err, true, StandardCharsets.UTF_8)).with("bench", new BenchCommand(o))
                .run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void benchModelReportsTrainStepAndSampling() {
        Result r = rlx("bench", "model", "--warmup", "0", "--runs", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("params=805632"), r.out());
        assertTrue(r.out().matches("(?s).*train_step median_ms=[0-9.]+ min_ms=.*sample_kv median_ms=[0-9.]+ .*"), r.out());
        assertEquals(2, rlx("bench", "model", "--bogus").code());
    }

    @Test
    void benchRewardComparesTheScriptRewardWithJava() {
        Result r = rlx("bench", "reward", "--calls", "2000", "--runs", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("reward: trailing integer == answer, minus 0.01 per character; 2000 calls per run, "
                + "1 runs after 3 warm-up runs\n"), r.out());
        assertTrue(r.out().matches("(?s).*\\.rlx via FunctionHandle: median [0-9.]+ .*Java lambda: +median [0-9.]+ "
                + ".*ratio \\(median\\): [0-9.]+x.*"), r.out());
    }

    @Test
    void usageErrorsExitWith2AndShowTheUsage() {
        Result none = rlx("bench");
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("rlx: bench needs a benchmark name: reward, check or model\nusage: rlx"),
                none.err());
        Result unknown = rlx("bench", "speed");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("rlx: unknown benchmark 'speed' (reward, check or model)\n"), unknown.err());
        Result missing = rlx("bench", "check", "no/such.rlx");
        assertEquals(1, missing.code());
        assertEquals("error: no such file: no/such.rlx\n", missing.err());
    }
}
