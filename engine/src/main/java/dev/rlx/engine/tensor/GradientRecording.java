package dev.rlx.engine.tensor;

import ai.djl.engine.Engine;
import ai.djl.training.GradientCollector;

/**
 * While open, tensor ops on the calling thread are recorded for back-propagation (outside one, nothing
 * is recorded, like {@code torch.no_grad}). Only one recording may be open at a time: a DJL rule.
 *
 * <pre>{@code
 * Tensor w = Tensors.of(List.of(1.0, 2.0)).withGrad();
 * try (GradientRecording rec = Tensors.recordGradients()) {
 *     Tensor loss = w.mul(w).sum();
 *     rec.backward(loss);
 * }
 * Tensor g = w.gradient();   // [2.0, 4.0]
 * }</pre>
 */
public final class GradientRecording implements AutoCloseable {
    private final GradientCollector collector;
    private boolean closed;

    private GradientRecording(GradientCollector collector) {
        this.collector = collector;
    }

    static GradientRecording start() {
        try {
            return new GradientRecording(Engine.getInstance().newGradientCollector());
        } catch (IllegalStateException e) {
            throw new TensorException("record_gradients: a gradient recording is already open (only one at a time)", e);
        }
    }

    /**
     * Back-propagates from {@code loss} into every {@link Tensor#withGrad()} leaf it depends on. A
     * non-scalar loss back-propagates its sum.
     */
    public void backward(Tensor loss) {
        if (closed) throw new TensorException("backward: the gradient recording is closed");
        if (!loss.dtype().isFloating()) {
            throw new TensorException("backward: the loss must be a float tensor, got " + loss.dtype().displayName());
        }
        try {
            collector.backward(loss.ndarray());
        } catch (RuntimeException e) {
            throw new TensorException("backward: " + e.getMessage()
                    + " (does the loss depend on a with_grad tensor through recorded ops?)", e);
        }
    }

    /** Whether a recording is open on this thread. */
    public static boolean isActive() {
        return Tensor.recording();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        collector.close();
    }
}
