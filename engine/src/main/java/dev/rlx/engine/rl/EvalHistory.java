package dev.rlx.engine.rl;

import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * What a run remembers of its evaluations: the accuracy before training, the latest, and the best with its step.
 * Written into and read from a checkpoint's state.json, so a resumed run reports the same summary; RL runs and
 * preference runs share it.
 */
public final class EvalHistory {
    private double start = Double.NaN;
    private double last = Double.NaN;
    private int bestStep = -1;
    private double best = Double.NaN;

    /** Records the accuracy of step {@code step} (0: before training). */
    public void record(int step, double accuracy) {
        if (step == 0) start = accuracy;
        last = accuracy;
        if (bestStep < 0 || accuracy > best) {
            best = accuracy;
            bestStep = step;
        }
    }

    public void save(JsonObject state) {
        state.addProperty("start_accuracy", start);
        state.addProperty("last_accuracy", last);
        state.addProperty("best_step", bestStep);
        state.addProperty("best_accuracy", best);
    }

    public void restore(JsonObject state) {
        start = number(state, "start_accuracy");
        last = number(state, "last_accuracy");
        best = number(state, "best_accuracy");
        bestStep = state.get("best_step").getAsInt();
    }

    public RunSummary summary(int stepsDone, double seconds, boolean cancelled, Path lastCheckpoint) {
        return new RunSummary(stepsDone, start, last, bestStep, best, seconds, cancelled, lastCheckpoint);
    }

    private static double number(JsonObject s, String k) {
        return s.has(k) && !s.get(k).isJsonNull() ? s.get(k).getAsDouble() : Double.NaN;
    }
}
