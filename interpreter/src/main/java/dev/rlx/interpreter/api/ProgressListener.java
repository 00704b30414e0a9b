package dev.rlx.interpreter.api;

/**
 * Where builtins that run for a while (train_reward_model, sft) report their steps, so a host on a terminal can
 * draw a progress line; called on the session's thread. Without a listener nothing is reported: scripts' output
 * stays exactly what they print.
 */
public interface ProgressListener {
    /** Step {@code step} of {@code total} of {@code task} (the builtin's name) is done; {@code stats} e.g. "loss 0.41". */
    void onProgress(String task, int step, int total, String stats);

    /** The task ended, after its last step or with an error. */
    void onProgressEnd(String task);
}
