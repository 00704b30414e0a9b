package dev.rlx.engine.rl;

import dev.rlx.engine.tensor.Tensor;
import java.util.Map;

/**
 * The objective of one minibatch. Sees the batch with {@code logp} [B,T] (and {@code entropy}) recorded
 * for gradients; returns a scalar to minimize. For a critic's value loss, {@code values} carries the gradient
 * instead. Diagnostics (e.g. {@code clip_fraction}, {@code approx_kl}) are averaged over minibatches and
 * logged under their names.
 */
@FunctionalInterface
public interface LossFunction {
    Loss compute(Batch batch);

    record Loss(Tensor value, Map<String, Double> diagnostics) {
        public Loss {
            diagnostics = diagnostics == null ? Map.of() : Map.copyOf(diagnostics);
        }

        public Loss(Tensor value) {
            this(value, Map.of());
        }
    }
}
