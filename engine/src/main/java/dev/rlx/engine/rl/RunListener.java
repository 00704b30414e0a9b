package dev.rlx.engine.rl;

import java.nio.file.Path;

/** Progress of a run, called on the training thread (the CLI draws its bar from it). */
public interface RunListener {
    /** After each step, once its metrics line is written. */
    default void onStep(StepMetrics metrics) {}

    /** After evaluation (before training: step 0). */
    default void onEval(int step, double accuracy) {}

    /** Something the user should know that is not an error (e.g. a damaged checkpoint passed over on resume). */
    default void onNotice(String message) {}

    /** After a checkpoint was written. */
    default void onCheckpoint(int step, Path dir) {}

    /** Once, at the end (also after cancel). */
    default void onEnd(RunSummary summary) {}

    /** Polled after every step: true finishes the current step, checkpoints and returns (Ctrl-C). */
    default boolean cancelled() {
        return false;
    }

    RunListener NONE = new RunListener() {};
}
