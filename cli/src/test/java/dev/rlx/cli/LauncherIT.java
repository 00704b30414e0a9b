package dev.rlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the real `./rlx` launcher against the packaged jars (integration-test phase, after package):
 * it must find JDK 25 and start Truffle's optimizing runtime, not the fallback interpreter.
 */
class LauncherIT {
    static String[] launch(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = Path.of("../rlx").toAbsolutePath().normalize().toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("RLX_NO_BUILD", "1"); // Maven is building right now; use what it packaged
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    @Test
    void launcherRunsOnTheOptimizingRuntime() throws Exception {
        String[] r = launch("--version");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("runtime: GraalVM CE on Java 25"), "launcher output:\n" + r[1]
                + "\nexpected the Truffle JIT ('GraalVM CE'); 'Interpreted' means the Graal compiler jars in "
                + "cli/target/jit are missing or newer than the JDK");
        assertTrue(!r[1].contains("WARNING"), r[1]);
    }

    @Test
    void launcherEvalPrintsJson() throws Exception {
        String[] r = launch("eval", "--json", "1 + 2 * 3");
        assertEquals("0", r[0], r[1]);
        assertEquals("7\n", r[1]);
    }

    @Test
    void launcherCheckStartsWithoutTheJitAndStaysQuiet() throws Exception {
        String[] r = launch("check", "../examples/basics.rlx");
        assertEquals("0", r[0], r[1]);
        assertEquals("../examples/basics.rlx: ok\n", r[1]); // no CDS or Truffle warnings in fast-start mode
    }

    /**
     * `rlx run` killed with SIGKILL mid-way (after its step-2 checkpoint, before the end), then `--resume`d, ends
     * with the metrics of an uninterrupted run, for an RL, a preference, a PRIME and a prompt-selection run (the
     * preference and PRIME runs once flaked here: gradients read freed memory after a garbage collection, fixed by
     * HostArrays).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tiny_grpo.rlx", "tiny_dpo.rlx", "tiny_prime.rlx", "tiny_select.rlx"})
    void aRunKilledMidwayResumesToTheSameMetrics(String name, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path script = Path.of("src/test/resources/" + name).toAbsolutePath();
        String[] whole = launch("run", script.toString(), "--set", "steps=40", "--runs", dir.resolve("a").toString());
        assertEquals("0", whole[0], whole[1]);

        ProcessBuilder pb = new ProcessBuilder(Path.of("../rlx").toAbsolutePath().normalize().toString(), "run",
                script.toString(), "--set", "steps=40", "--runs", dir.resolve("b").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("b.log").toFile());
        pb.environment().put("RLX_NO_BUILD", "1");
        Process p = pb.start();
        Path runB = null;
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && p.isAlive()) {
            runB = onlyRun(dir.resolve("b"));
            if (runB != null && java.nio.file.Files.exists(runB.resolve("checkpoints/step-2/state.json"))) {
                break;
            }
            Thread.sleep(20);
        }
        boolean killedMidway = p.isAlive();
        p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no last checkpoint
        assertTrue(runB != null, java.nio.file.Files.readString(dir.resolve("b.log")));
        assertTrue(killedMidway, "the run ended before it could be killed: " + java.nio.file.Files.readString(dir.resolve("b.log")));
        assertTrue(!java.nio.file.Files.exists(runB.resolve("checkpoints/step-40")), "killed before the last step");
        String[] resumed = launch("run", "--resume", runB.toString());
        assertEquals("0", resumed[0], resumed[1]);

        Path runA = onlyRun(dir.resolve("a"));
        assertEquals(runA.getFileName(), runB.getFileName(), "same recipe, same hash");
        assertEquals(withoutTimes(runA.resolve("metrics.jsonl")), withoutTimes(runB.resolve("metrics.jsonl")));
    }

    /**
     * Kill anywhere: `rlx run` SIGKILLed three times at random moments (seeded; the first once its run folder
     * holds the lock, the resumes anywhere from JVM start-up to checkpoint writes), each time resumed, then left
     * to finish: the metrics equal an uninterrupted run's. bench/kill_test.sh does the same for any number of kills.
     */
    @Test
    void aRunKilledAtRandomMomentsResumesToTheSameMetrics(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path script = Path.of("src/test/resources/tiny_grpo.rlx").toAbsolutePath();
        String[] whole = launch("run", script.toString(), "--set", "steps=60", "--runs", dir.resolve("a").toString());
        assertEquals("0", whole[0], whole[1]);
        java.util.Random random = new java.util.Random(11);
        int kills = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            Path runB = onlyRun(dir.resolve("b"));
            boolean started = runB != null && java.nio.file.Files.exists(runB.resolve("recipe.lock.rlx"));
            ProcessBuilder pb = new ProcessBuilder(Path.of("../rlx").toAbsolutePath().normalize().toString(), "run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("b.log").toFile()));
            if (started) {
                pb.command().addAll(java.util.List.of("--resume", runB.toString()));
            } else {
                pb.command().addAll(java.util.List.of(script.toString(), "--set", "steps=60", "--runs",
                        dir.resolve("b").toString()));
            }
            pb.environment().put("RLX_NO_BUILD", "1");
            Process p = pb.start();
            if (!started) {
                // the first start runs until its run folder holds the lock (however slow a loaded machine is);
                // resumes are killed at a random moment from their start, JVM start-up included
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (p.isAlive() && System.nanoTime() < deadline) {
                    Path r = onlyRun(dir.resolve("b"));
                    if (r != null && java.nio.file.Files.exists(r.resolve("recipe.lock.rlx"))) break;
                    Thread.sleep(20);
                }
            }
            if (!p.waitFor(random.nextInt(3000), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                kills++;
            }
        }
        Path runB = onlyRun(dir.resolve("b"));
        String log = java.nio.file.Files.exists(dir.resolve("b.log")) ? java.nio.file.Files.readString(dir.resolve("b.log")) : "";
        assertTrue(runB != null && java.nio.file.Files.exists(runB.resolve("recipe.lock.rlx")), log);
        String[] resumed = launch("run", "--resume", runB.toString());
        assertEquals("0", resumed[0], resumed[1]);
        assertTrue(kills >= 1, "no kill landed: " + log);
        assertEquals(withoutTimes(onlyRun(dir.resolve("a")).resolve("metrics.jsonl")), withoutTimes(runB.resolve("metrics.jsonl")));
    }

    private static Path onlyRun(Path runsRoot) throws IOException {
        if (!java.nio.file.Files.isDirectory(runsRoot)) {
            return null;
        }
        try (var s = java.nio.file.Files.list(runsRoot)) {
            return s.filter(java.nio.file.Files::isDirectory).findFirst().orElse(null);
        }
    }

    /** metrics.jsonl without the wall-clock fields, which differ between any two runs. */
    private static java.util.List<String> withoutTimes(Path metrics) throws IOException {
        return java.nio.file.Files.readAllLines(metrics).stream()
                .map(l -> l.replaceAll("\"time_[a-z_]+\":[0-9.Ee+-]+,?", "")).toList();
    }
}
