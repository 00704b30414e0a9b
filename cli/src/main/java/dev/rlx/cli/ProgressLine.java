package dev.rlx.cli;

import dev.rlx.interpreter.api.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress of long builtins (train_reward_model, sft) on a terminal: one line redrawn in place, at most ten
 * times a second, ended with a newline when the builtin returns. Only installed on a terminal, so piped output
 * and logs never see carriage returns.
 */
final class ProgressLine implements ProgressListener {
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream err;
    private long lastDraw;
    private boolean drawn;

    ProgressLine(PrintStream err) {
        this.err = err;
    }

    @Override
    public void onProgress(String task, int step, int total, String stats) {
        long now = System.nanoTime();
        if (drawn && step < total && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        drawn = true;
        int width = 24;
        int filled = (int) Math.round(width * (double) step / Math.max(1, total));
        err.printf(Locale.ROOT, "\r%s [%s%s] %d/%d  %s\u001b[K", task, "#".repeat(filled), ".".repeat(width - filled),
                step, total, stats);
        err.flush();
    }

    @Override
    public void onProgressEnd(String task) {
        if (drawn) {
            err.println();
            drawn = false;
        }
    }
}
