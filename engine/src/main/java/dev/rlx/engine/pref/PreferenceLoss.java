package dev.rlx.engine.pref;

import dev.rlx.engine.rl.LossFunction;

/**
 * The objective of one preference batch: sees {@link PreferenceBatch} with the policy's log-probs recording
 * gradients and returns a scalar to minimize, with diagnostics logged under their names.
 */
@FunctionalInterface
public interface PreferenceLoss {
    LossFunction.Loss compute(PreferenceBatch batch);
}
