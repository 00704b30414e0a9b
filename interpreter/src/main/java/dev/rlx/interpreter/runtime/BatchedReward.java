package dev.rlx.interpreter.runtime;

/**
 * A reward term the trainer computes for a whole step at once instead of calling a script function per sample
 * (a reward model, one forward for every completion). The experiment code knows the concrete kinds.
 */
public interface BatchedReward {
    /** What it is, for messages (e.g. "reward model gpt2 4x128"). */
    String describe();
}
