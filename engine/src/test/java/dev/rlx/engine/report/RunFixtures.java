package dev.rlx.engine.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Run folders written by hand, as rlx writes them, with smooth made-up curves: reports are tested without training. */
final class RunFixtures {
    private RunFixtures() {}

    /**
     * A finished run {@code dir/<experiment>-<hash>} of {@code steps} steps, seed {@code seed}, extra lock line
     * {@code setting} (e.g. "lr = 3e-05"), eval every 10 steps; {@code partialLine} adds a half-written last line.
     */
    static Path run(Path dir, String experiment, String hash, int seed, String setting, int steps, boolean partialLine)
            throws IOException {
        return run(dir, experiment, hash, seed, setting, steps, steps, partialLine);
    }

    /** The same, with metrics lines written only up to step {@code written} (a run still training). */
    static Path run(Path dir, String experiment, String hash, int seed, String setting, int steps, int written,
                    boolean partialLine) throws IOException {
        Path run = dir.resolve(experiment + "-" + hash);
        Files.createDirectories(run.resolve("checkpoints"));
        Files.writeString(run.resolve("recipe.lock.rlx"), "// lock\nseed = " + seed + "\nsteps = " + steps + "\n" + setting
                + "\nexperiment " + experiment + " = train {}\n", StandardCharsets.UTF_8);
        Files.writeString(run.resolve("overrides.txt"), "seed=" + seed + "\n", StandardCharsets.UTF_8);
        StringBuilder m = new StringBuilder();
        StringBuilder s = new StringBuilder();
        double lift = setting.contains("3e-05") ? 0.2 : 0.0;
        for (int step = 1; step <= written; step++) {
            double t = step / (double) steps;
            double noise = 0.02 * Math.sin(step * 1.7 + seed);
            m.append(String.format(Locale.ROOT, "{\"step\":%d,\"entropy\":%.4f,\"kl\":%.5f,\"clip_frac\":%.4f,\"grad_norm\":%.3f,"
                    + "\"lr\":5.0E-5,\"reward\":%.4f,\"reward/correct\":%.4f,\"reward/tidy\":%.4f,\"length_mean\":%.3f,"
                    + "\"truncation_rate\":%.3f,", step, 2.5 - 1.5 * t, 0.01 * t, 0.05 * (1 - t), 0.8 + noise, 0.3 + 0.5 * t + noise,
                    0.3 + 0.5 * t + lift, -0.1 * (1 - t), 3.5 + noise, 0.1 * (1 - t)));
            if (step % 10 == 0 || step == steps) {
                m.append(String.format(Locale.ROOT, "\"eval_accuracy\":%.3f,\"time_ms_eval\":40.0,", 0.3 + 0.4 * t + lift + noise));
            }
            m.append(String.format(Locale.ROOT, "\"time_ms_total\":%.1f,\"time_ms_rollout\":%.1f,\"time_ms_update\":%.1f}\n",
                    200.0 + seed, 80.0, 110.0));
            s.append(String.format(Locale.ROOT, "{\"step\":%d,\"prompt\":\"%d+%d=\",\"completion\":\"%d\",\"score\":%.1f,"
                    + "\"terms\":{\"correct\":%.1f,\"tidy\":0.0},\"length\":3,\"finish_reason\":\"stop\"}\n",
                    step, step, seed, step + seed + (step % 3 == 0 ? 1 : 0), step % 3 == 0 ? 0.0 : 1.0, step % 3 == 0 ? 0.0 : 1.0));
        }
        if (partialLine) m.append("{\"step\":").append(written + 1).append(",\"entropy\":1.2");
        Files.writeString(run.resolve("metrics.jsonl"), m.toString(), StandardCharsets.UTF_8);
        Files.writeString(run.resolve("samples.jsonl"), s.toString(), StandardCharsets.UTF_8);
        boolean complete = written == steps && !partialLine;
        if (complete) {
            Files.writeString(run.resolve("run.json"), "{\"experiment\":\"" + experiment + "\",\"total_steps\":" + steps
                    + ",\"summary\":{\"complete\":true,\"start_accuracy\":" + (0.3 + lift) + "}}\n", StandardCharsets.UTF_8);
        } else {
            // still training: run.json has no summary yet; the accuracy before training is in the checkpoint's state
            Files.writeString(run.resolve("run.json"), "{\"experiment\":\"" + experiment + "\",\"total_steps\":" + steps
                    + "}\n", StandardCharsets.UTF_8);
            Path cp = Files.createDirectories(run.resolve("checkpoints/step-10"));
            Files.writeString(cp.resolve("state.json"), "{\"step\":10,\"start_accuracy\":" + (0.3 + lift) + "}");
            Files.writeString(cp.resolve("manifest.json"), "{}");
        }
        return run;
    }
}
