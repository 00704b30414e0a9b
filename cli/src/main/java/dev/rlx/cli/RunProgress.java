package dev.rlx.cli;

import dev.rlx.engine.rl.RunListener;
import dev.rlx.engine.rl.RunSummary;
import dev.rlx.engine.rl.StepMetrics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Shows a run's progress: on a terminal one redrawn line (a bar, step/total, ETA, reward, accuracy);
 * otherwise (a pipe, CI, a log file) one plain line every few steps. Ends with a summary table.
 * Ctrl-C sets {@link #cancel()}: the trainer finishes the step, checkpoints and returns.
 */
final class RunProgress implements RunListener {
    private final PrintStream out;
    private final boolean terminal;
    private final int totalSteps;
    private final long startNanos = System.nanoTime();
    /** The step before the first one this process runs (non-zero after --resume), so the ETA uses this pace. */
    private int stepsBefore = -1;
    private volatile boolean cancelled;
    private double lastEval = Double.NaN;
    private int reported;
    private long rewardErrors;

    RunProgress(PrintStream out, boolean terminal, int totalSteps) {
        this.out = out;
        this.terminal = terminal;
        this.totalSteps = totalSteps;
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
    public void onStep(StepMetrics m) {
        int step = m.step();
        double errors = m.get("reward_errors");
        if (errors > 0) {
            rewardErrors += (long) errors;
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        if (stepsBefore < 0) {
            stepsBefore = step - 1;
        }
        int done = step - stepsBefore;
        double eta = done > 0 ? elapsed / done * (totalSteps - step) : Double.NaN;
        String stats = String.format(Locale.ROOT, "reward %.3f  acc %s  len %.1f  %s", m.get("reward"),
                fmt(Double.isNaN(lastEval) ? m.get("accuracy") : lastEval), m.get("length_mean"),
                Double.isNaN(eta) ? "" : "ETA " + duration(eta));
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
    public void onEnd(RunSummary s) {
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

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
