package dev.rlx.engine.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * Where tensors live and in which float type parameters are kept. Every model, sampler and trainer takes
 * one of these instead of assuming the CPU.
 *
 * @param device "cpu", "gpu", "gpu:N" or "auto" (a GPU when one is present, else the CPU)
 * @param dtype "float32", "float16" or "bfloat16"
 */
public record ComputeConfig(String device, String dtype) {
    public static final ComputeConfig CPU_F32 = new ComputeConfig("cpu", "float32");

    public ComputeConfig {
        device = device == null ? "cpu" : device.toLowerCase(Locale.ROOT);
        dtype = dtype == null ? "float32" : dtype.toLowerCase(Locale.ROOT);
        djlDataType(dtype); // validates
        if (!device.equals("cpu") && !device.equals("auto") && !device.startsWith("gpu")) {
            throw new IllegalArgumentException("unknown device '" + device + "': expected cpu, gpu, gpu:N or auto");
        }
    }

    public static ComputeConfig defaults() {
        return CPU_F32;
    }

    /** The DJL device; asking for a GPU that is not there is an error, not a silent fallback. */
    public Device djlDevice() {
        int gpus = Engine.getInstance().getGpuCount();
        if (device.equals("cpu")) {
            return Device.cpu();
        }
        if (device.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        int id = device.equals("gpu") ? 0 : Integer.parseInt(device.substring(4));
        if (id >= gpus) {
            throw new IllegalStateException("device '" + device + "' requested but " + gpus + " GPU(s) are present");
        }
        return Device.gpu(id);
    }

    public DataType djlDataType() {
        return djlDataType(dtype);
    }

    /** Whether parameters are float32 (the only dtype rlx trains in; see ModelBuiltins.requireFloat32). */
    public boolean isFloat32() {
        return djlDataType() == DataType.FLOAT32;
    }

    public boolean isBfloat16() {
        return djlDataType() == DataType.BFLOAT16;
    }

    public static DataType djlDataType(String name) {
        return switch (name) {
            case "float32", "f32", "fp32" -> DataType.FLOAT32;
            case "float16", "f16", "fp16", "half" -> DataType.FLOAT16;
            case "bfloat16", "bf16" -> DataType.BFLOAT16;
            default -> throw new IllegalArgumentException("unknown dtype '" + name + "': expected float32, float16 or bfloat16");
        };
    }
}
