package dev.rlx.engine.rl;

import dev.rlx.engine.tensor.Tensor;
import java.util.Map;

/**
 * Turns a batch's rewards into advantages (and, for a critic, returns). Sees the batch without
 * {@code logp} (no gradient yet); {@code old_logp}, {@code ref_logp} and {@code values} are there when the
 * plan has them. Called inside the step's tensor scope: temporaries are freed with the step.
 */
@FunctionalInterface
public interface CreditFunction {
    Credit compute(Batch batch);

    /**
     * @param advantages [B] (one per completion, broadcast over its tokens) or [B,T]
     * @param returns [B,T] value targets for a critic, or null
     * @param state the state to carry into the next step (see {@link CarriedState}), or null to keep
     *     {@code b.state} as it is
     */
    record Credit(Tensor advantages, Tensor returns, Map<String, Object> state) {
        public Credit(Tensor advantages) {
            this(advantages, null, null);
        }

        public Credit(Tensor advantages, Tensor returns) {
            this(advantages, returns, null);
        }
    }
}
