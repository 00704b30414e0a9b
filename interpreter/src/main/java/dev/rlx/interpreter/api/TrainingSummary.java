package dev.rlx.interpreter.api;

import java.nio.file.Path;

/**
 * The end of a run's training.
 *
 * @param stepsDone steps completed (including those before a resume)
 * @param startAccuracy eval accuracy before training (NaN without eval)
 * @param finalAccuracy eval accuracy after the last step (NaN without eval)
 * @param bestStep the step with the best eval accuracy (-1 without eval), bestAccuracy its value
 * @param seconds wall time of this invocation
 * @param cancelled whether the run stopped early on request
 * @param lastCheckpoint the last checkpoint written, or null
 */
public record TrainingSummary(int stepsDone, double startAccuracy, double finalAccuracy, int bestStep,
                              double bestAccuracy, double seconds, boolean cancelled, Path lastCheckpoint) {}
