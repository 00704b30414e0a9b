package dev.rlx.engine.tensor;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Process-wide tensor settings: the device new tensors are created on, the intra-op thread count and the
 * random seed. Call {@link #configure} once at startup, before the first tensor is created on a thread
 * (each thread's root {@link TensorScope} takes the device current when it is first used). Nothing else
 * in the tensor package assumes CPU: every creation goes through the scope's manager, which carries this
 * device.
 */
public final class TensorRuntime {
    private static volatile Device device = Device.cpu();

    private TensorRuntime() {}

    /**
     * @param deviceName "cpu", "gpu" (= gpu:0) or "gpu:N"
     * @param threads intra-op threads for PyTorch; 0 or less leaves the engine default
     * @param seed seed for the engine's random generator (same seed + same thread count = same bits)
     */
    public static synchronized void configure(String deviceName, int threads, long seed) {
        Device requested = parseDevice(deviceName);
        Engine engine = Engine.getInstance(); // loads libtorch: JniUtils calls fail before that
        if (requested.isGpu()) {
            int gpus = engine.getGpuCount();
            if (requested.getDeviceId() >= gpus) {
                throw new TensorException("device '" + deviceName + "' requested but "
                        + (gpus == 0 ? "no GPU is available" : "only " + gpus + " GPU(s) are available")
                        + " to the PyTorch engine (is a CUDA build of pytorch-native on the class path?)");
            }
        }
        device = requested;
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
        // DJL takes an int seed; fold the long so distinct longs rarely collide.
        engine.setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    /** The device new tensors are created on. */
    public static Device device() {
        return device;
    }

    static Device parseDevice(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.equals("cpu")) return Device.cpu();
        if (n.equals("gpu") || n.equals("cuda")) return Device.gpu(0);
        if (n.startsWith("gpu:") || n.startsWith("cuda:")) {
            try {
                int id = Integer.parseInt(n.substring(n.indexOf(':') + 1));
                if (id >= 0) return Device.gpu(id);
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
        }
        throw new TensorException("unknown device '" + name + "' (expected cpu, gpu or gpu:N)");
    }
}
