package dev.rlx.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rlx.engine.model.AttentionInputs;
import dev.rlx.engine.tensor.HostArrays;
import java.util.List;

/**
 * Prompts (left-padded to Lp) followed by responses (right-padded to T) as one [B, Lp+T] batch, with the
 * response ids [B,T] and mask [B,T] as tensors. Logits at positions Lp-1 .. Lp+T-2 predict the response.
 */
public record ScoreBatch(NDArray tokens, AttentionInputs inputs, int promptLength, int responseLength,
                         NDArray responseTokens, NDArray mask, int[] responseLengths) {

    public static ScoreBatch of(NDManager m, List<int[]> prompts, int[][] responses, byte[][] mask, int pad, DataType dt) {
        int b = prompts.size();
        int lp = 0;
        for (int[] p : prompts) {
            lp = Math.max(lp, p.length);
        }
        int t = 0;
        for (int[] r : responses) {
            t = Math.max(t, r.length);
        }
        int l = lp + t;
        long[] ids = new long[b * l];
        byte[][] valid = new byte[b][l];
        long[] resp = new long[b * t];
        float[] msk = new float[b * t];
        int[] lens = new int[b];
        for (int r = 0; r < b; r++) {
            int[] p = prompts.get(r);
            java.util.Arrays.fill(ids, r * l, (r + 1) * l, pad);
            java.util.Arrays.fill(resp, r * t, (r + 1) * t, pad);
            int off = lp - p.length;
            for (int j = 0; j < p.length; j++) {
                ids[r * l + off + j] = p[j];
                valid[r][off + j] = 1;
            }
            for (int j = 0; j < responses[r].length; j++) {
                boolean on = mask == null || mask[r][j] != 0;
                if (on) {
                    ids[r * l + lp + j] = responses[r][j];
                    resp[r * t + j] = responses[r][j];
                    valid[r][lp + j] = 1;
                    msk[r * t + j] = 1f;
                    lens[r] = j + 1;
                }
            }
        }
        AttentionInputs in = AttentionInputs.of(m, valid, AttentionInputs.leftPaddedPositions(valid), dt);
        return new ScoreBatch(HostArrays.of(m, ids, new Shape(b, l)), in, lp, t, HostArrays.of(m, resp, new Shape(b, t)),
                HostArrays.of(m, msk, new Shape(b, t)), lens);
    }
}
