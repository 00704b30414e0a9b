package dev.rlx.engine.rl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.TensorScope;

import java.util.Map;

/**
 * The check that keeps a step device-clean: after each stage, every tensor of the batch must live on the
 * policy's device and belong to the step's scope (which {@link RlTrainer} opens on that device). A tensor
 * made anywhere else (a fresh base manager, the thread's root scope, a stray CPU array) would work on a
 * CPU-only machine and fail with a device mismatch on a GPU, or leak past the step; this finds it on the CPU
 * already, naming the stage and the field. Costs a few microseconds per step (a manager-chain walk per
 * tensor), so it always runs.
 */
final class StepDevices {
    private StepDevices() {}

    static void check(String stage, Batch batch, TensorScope step, Device device) {
        for (Map.Entry<String, Tensor> e : batch.tensorFields().entrySet()) {
            check(stage, e.getKey(), e.getValue(), step, device);
        }
    }

    static void check(String stage, String field, Tensor t, TensorScope step, Device device) {
        if (t == null) return;
        NDArray a = t.ndarray();
        if (!a.getDevice().equals(device)) {
            throw new IllegalStateException("internal error: after the " + stage + " stage, batch field '" + field
                    + "' is on " + a.getDevice() + " but the policy is on " + device);
        }
        if (!step.owns(a)) {
            throw new IllegalStateException("internal error: after the " + stage + " stage, batch field '" + field
                    + "' was not created in the step's tensor scope (so not by the policy's device decision)");
        }
    }
}
