package dev.rlx.interpreter.api;

import java.nio.file.Path;
import java.util.Map;

/** What a host sees of a run while {@link RlxRuns#run} trains; called on the calling thread. */
public interface RunObserver {
    /** A `--set` override was applied, before the script is evaluated: "name = value  (was old at file:line:col)". */
    default void onOverride(String applied) {}

    /** The run folder is ready and training starts (or continues, when resuming) towards {@code totalSteps}. */
    default void onStart(Path runFolder, boolean resuming, int totalSteps) {}

    /**
     * After each step, once its metrics line is in metrics.jsonl: the same fields (reward, accuracy, length_mean,
     * reward_errors, ..., see the README), numbers as {@link Number}s.
     */
    default void onStep(int step, Map<String, Object> metrics) {}

    /** After an evaluation of the test data (step 0: before training). */
    default void onEval(int step, double accuracy) {}

    /** Something worth a line that is not an error (a damaged checkpoint passed over on resume). */
    default void onNotice(String message) {}

    /** After a checkpoint was written. */
    default void onCheckpoint(int step, Path folder) {}

    /** Once, when training ends (also when it was cancelled). */
    default void onEnd(TrainingSummary summary) {}

    /** Polled after every step: true finishes the current step, checkpoints and ends the run (Ctrl-C). */
    default boolean cancelled() {
        return false;
    }
}
