package dev.rlx.cli;

import dev.rlx.interpreter.api.RunObserver;
import dev.rlx.interpreter.api.TrainingSummary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a run's progress: on a terminal one redrawn line (a bar, step/total, ETA, reward, accuracy);
 * otherwise (a pipe, CI, a log file) one plain line every few steps. Ends with a summary table.
 * Overrides and the run folder go to the error stream, as rlx's other notes do. From the start of training,
 * Ctrl-C sets {@link #cancel()}: the trainer finishes the step, checkpoints and returns.
 */
final class RunProgress implements RunObserver {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private int totalSteps;
    private long startNanos;
    /** The step before the first one this process runs (non-zero after --resume), so the ETA uses this pace. */
    private int stepsBefore = -1;
    private volatile boolean cancelled;
    private double lastEval = Double.NaN;
    private int reported;
    private long rewardErrors;

    RunProgress(PrintStream out, PrintStream err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void onOverride(String applied) {
        err.println("rlx: override " + applied);
    }

    @Override
    public void onNotice(String message) {
        err.println("rlx: " + message);
    }

    @Override
    public void onStart(Path runFolder, boolean resuming, int totalSteps) {
        err.println("rlx: " + (resuming ? "resuming " : "run folder ") + runFolder);
        this.totalSteps = totalSteps;
        startNanos = System.nanoTime();
        Interrupts.onInterrupt(() -> {
            err.println("\nrlx: interrupted: finishing this step, then checkpointing (Ctrl-C again to abort)");
            cancel();
        });
    }

    void cancel() {
        cancelled = true;
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    @Override
    public void onEval(int step, double accuracy) {
        lastEval = accuracy;
        if (!terminal) {
            out.printf(Locale.ROOT, "eval   step %d: accuracy %.3f%n", step, accuracy);
        }
    }

    @Override
    public void onStep(int step, Map<String, Object> m) {
        double errors = number(m, "reward_errors");
        if (errors > 0) {
            rewardErrors += (long) errors;
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        if (stepsBefore < 0) {
            stepsBefore = step - 1;
        }
        int done = step - stepsBefore;
        double eta = done > 0 ? elapsed / done * (totalSteps - step) : Double.NaN;
        String etaText = Double.isNaN(eta) ? "" : "ETA " + duration(eta);
        // an RL step logs its reward; an offline preference step has no rollout, so it shows its loss and margin
        // (or, for pointwise losses such as QRPO's, the implied reward)
        String stats = m.containsKey("reward")
                ? String.format(Locale.ROOT, "reward %.3f  acc %s  len %.1f  %s", number(m, "reward"),
                        fmt(Double.isNaN(lastEval) ? number(m, "accuracy") : lastEval), number(m, "length_mean"), etaText)
                : String.format(Locale.ROOT, "loss %.4f  %s  eval acc %s  %s", number(m, "loss"), preferenceStat(m),
                        fmt(lastEval), etaText);
        if (terminal) {
            int width = 24;
            int filled = (int) Math.round(width * (double) step / Math.max(1, totalSteps));
            out.printf(Locale.ROOT, "\r[%s%s] %d/%d  %s\u001b[K", "#".repeat(filled), ".".repeat(width - filled), step,
                    totalSteps, stats);
            out.flush();
        } else if (step == totalSteps || step - reported >= Math.max(1, totalSteps / 20)) {
            reported = step;
            out.printf(Locale.ROOT, "step %d/%d  %s%n", step, totalSteps, stats);
        }
    }

    @Override
    public void onCheckpoint(int step, Path dir) {
        if (!terminal) {
            out.println("checkpoint step " + step + ": " + dir);
        }
    }

    @Override
    public void onEnd(TrainingSummary s) {
        if (terminal) {
            out.println();
        }
        out.println(s.cancelled() ? "stopped early (interrupted); the last checkpoint holds the progress" : "done");
        out.printf(Locale.ROOT, "  %-18s %s%n", "steps", s.stepsDone());
        out.printf(Locale.ROOT, "  %-18s %s%n", "start accuracy", fmt(s.startAccuracy()));
        out.printf(Locale.ROOT, "  %-18s %s%n", "final accuracy", fmt(s.finalAccuracy()));
        out.printf(Locale.ROOT, "  %-18s %s%n", "best", s.bestStep() < 0 ? "-"
                : fmt(s.bestAccuracy()) + " at step " + s.bestStep());
        out.printf(Locale.ROOT, "  %-18s %s%n", "time", duration(s.seconds()));
        if (rewardErrors > 0) {
            out.printf(Locale.ROOT, "  %-18s %d scored 0 (per step: reward_errors in metrics.jsonl)%n", "reward errors",
                    rewardErrors);
        }
        if (s.lastCheckpoint() != null) {
            out.printf(Locale.ROOT, "  %-18s %s%n", "last checkpoint", s.lastCheckpoint());
        }
    }

    /** A metric's value, NaN when the step has none (no eval data, no correctness predicate). */
    private static double number(Map<String, Object> metrics, String key) {
        return metrics.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String preferenceStat(Map<String, Object> m) {
        return m.containsKey("margin") || !m.containsKey("implied_reward") ? "margin " + fmt(number(m, "margin"))
                : "implied reward " + fmt(number(m, "implied_reward"));
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
