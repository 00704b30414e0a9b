package dev.rlx.interpreter.api;

/** How {@link RlxRuns#run} ended, when no script error stopped it (those are {@link RlxError}s). */
public sealed interface RunOutcome {
    /** The script declares no experiment: its bindings were evaluated and nothing was trained. */
    record Evaluated() implements RunOutcome {}

    /** Training ended: every step done, or stopped early on request ({@code summary.cancelled()}). */
    record Trained(TrainingSummary summary) implements RunOutcome {}

    /**
     * A loss, gradient norm or advantage became NaN or infinite and stopped training; the last good checkpoint is
     * kept. {@code reason} names the step, the quantity and that checkpoint.
     */
    record Diverged(String reason) implements RunOutcome {}
}
