package dev.rlx.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `rlx bench check FILE`: wall time of a whole `rlx check FILE` process (JVM start, build check,
 * parse, resolve) as a user sees it, median [min, max] over runs.
 */
public final class CheckBench {
    private CheckBench() {}

    public static void run(PrintStream out, Path file, int runs) throws IOException, InterruptedException {
        String home = System.getProperty("rlx.home", ".");
        List<Double> seconds = new ArrayList<>();
        for (int r = 0; r <= runs; r++) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(home, "rlx").toString(), "check", file.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("RLX_NO_BUILD", "1");
            long start = System.nanoTime();
            int code = pb.start().waitFor();
            double s = (System.nanoTime() - start) / 1e9;
            if (code != 0) {
                throw new IllegalStateException("rlx check " + file + " failed with exit code " + code);
            }
            if (r > 0) {
                seconds.add(s); // the first run warms the OS file cache
            }
        }
        double[] v = seconds.stream().mapToDouble(Double::doubleValue).toArray();
        out.printf("rlx check %s: %s s per process (%d runs; target under 1.5 s)%n", file,
                RewardBench.stats(v, "%.2f"), runs);
    }
}
