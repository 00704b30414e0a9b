package dev.rlx.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rlx.engine.tensor.HostArrays;

/**
 * Positions [B,T] (or [1,T]) and the additive attention bias [B,1,T,Lk] (or [1,1,T,T]) of one forward call.
 * Both are built in Java and copied in one op each: cheaper than assembling them from small tensor ops.
 * Masked entries get a large finite negative value, so a query row with no visible key (a left-pad position)
 * stays finite instead of turning into NaN.
 */
public record AttentionInputs(NDArray positions, NDArray bias) {

    static float maskValue(DataType dt) {
        return dt == DataType.FLOAT32 || dt == DataType.FLOAT64 ? -1e9f : -3e4f;
    }

    /** Unpadded sequences of length T starting at position 0: one causal mask shared by the whole batch. */
    public static AttentionInputs causal(NDManager m, int length, DataType dt) {
        long[] pos = new long[length];
        float[] bias = new float[length * length];
        float neg = maskValue(dt);
        for (int i = 0; i < length; i++) {
            pos[i] = i;
            for (int j = i + 1; j < length; j++) {
                bias[i * length + j] = neg;
            }
        }
        return new AttentionInputs(HostArrays.of(m, pos, new Shape(1, length)),
                HostArrays.of(m, bias, new Shape(1, 1, length, length)).toType(dt, false));
    }

    /**
     * General case: key validity over the whole cached+new sequence, and the positions of the T new tokens.
     *
     * @param keyValid [B][Lk], 1 where the key is a real token (0 for padding)
     * @param positions [B][T] position ids of the new tokens
     */
    public static AttentionInputs of(NDManager m, byte[][] keyValid, long[][] positions, DataType dt) {
        int b = keyValid.length;
        int lk = keyValid[0].length;
        int t = positions[0].length;
        int past = lk - t;
        float neg = maskValue(dt);
        float[] bias = new float[b * t * lk];
        long[] pos = new long[b * t];
        for (int r = 0; r < b; r++) {
            System.arraycopy(positions[r], 0, pos, r * t, t);
            for (int i = 0; i < t; i++) {
                int base = (r * t + i) * lk;
                for (int j = 0; j < lk; j++) {
                    if (keyValid[r][j] == 0 || j > past + i) {
                        bias[base + j] = neg;
                    }
                }
            }
        }
        NDArray biasArr = HostArrays.of(m, bias, new Shape(b, 1, t, lk));
        if (dt != DataType.FLOAT32) {
            biasArr = biasArr.toType(dt, false);
        }
        return new AttentionInputs(HostArrays.of(m, pos, new Shape(b, t)), biasArr);
    }

    /** Left-padded rows: positions count real tokens only (0 at the first real token), like HF generate. */
    public static long[][] leftPaddedPositions(byte[][] valid) {
        long[][] pos = new long[valid.length][];
        for (int r = 0; r < valid.length; r++) {
            pos[r] = leftPaddedPositions(valid[r]);
        }
        return pos;
    }

    /** One row of {@link #leftPaddedPositions(byte[][])}. */
    public static long[] leftPaddedPositions(byte[] valid) {
        long[] pos = new long[valid.length];
        long p = 0;
        for (int j = 0; j < valid.length; j++) {
            pos[j] = valid[j] != 0 ? p++ : 0;
        }
        return pos;
    }
}
