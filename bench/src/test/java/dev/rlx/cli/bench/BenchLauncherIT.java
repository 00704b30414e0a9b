package dev.rlx.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** `./rlx bench` through the real launcher, which puts the packaged rlx-bench jar on the class path. */
class BenchLauncherIT {
    @Test
    void theLauncherRunsTheModelBenchmark() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of("../rlx").toAbsolutePath().normalize().toString(), "bench",
                "model", "--warmup", "0", "--runs", "1").redirectErrorStream(true);
        pb.environment().put("RLX_NO_BUILD", "1"); // Maven is building right now; use what it packaged
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.matches("(?s).*train_step median_ms=[0-9.]+ min_ms=.*sample_kv median_ms=[0-9.]+ .*"), out);
    }
}
