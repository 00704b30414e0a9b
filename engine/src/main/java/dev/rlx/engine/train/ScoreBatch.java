package dev.rlx.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rlx.engine.model.AttentionInputs;
import dev.rlx.engine.sample.KvCacheSampler;
import dev.rlx.engine.tensor.HostArrays;
import java.util.Arrays;
import java.util.List;

/**
 * Prompts (left-padded to Lp) followed by responses (right-padded to T) as one [B, Lp+T] batch, with the
 * response ids [B,T] and mask [B,T] as tensors. Logits at positions Lp-1 .. Lp+T-2 predict the response.
 * {@code shared} (null unless asked for and some prompt repeats) is the same batch laid out for a forward that
 * runs each distinct prompt once ({@link Scorer}).
 */
public record ScoreBatch(NDArray tokens, AttentionInputs inputs, int promptLength, int responseLength,
                         NDArray responseTokens, NDArray mask, int[] responseLengths, SharedPrompts shared) {

    /**
     * The batch for a forward in two passes: the P distinct prompts once ([P, Lp], their keys and values kept in a
     * cache), then every row's response tokens but the last ([B, T-1]) attending to its prompt's cached keys and
     * values (repeated to the rows by {@code rowOf}) and to its own earlier tokens. The hidden states are those
     * of the one-pass forward at positions Lp-1 (the prompt pass's last position) and Lp .. Lp+T-2; the last
     * response token is not fed, as its state predicts nothing. In a group of G completions of one prompt that
     * is P*Lp + B*(T-1) positions instead of B*(Lp+T).
     *
     * @param rowOf [B] int64: the distinct prompt of each row
     * @param responseTokens [B, T-1], or null when T = 1 (then the prompt pass is the whole forward)
     * @param responseInputs their positions and additive bias over the Lp + T - 1 keys (prompt, then response)
     */
    public record SharedPrompts(NDArray promptTokens, AttentionInputs promptInputs, NDArray rowOf,
                                NDArray responseTokens, AttentionInputs responseInputs) {}

    public static ScoreBatch of(NDManager m, List<int[]> prompts, int[][] responses, byte[][] mask, int pad, DataType dt) {
        return of(m, prompts, responses, mask, pad, dt, false);
    }

    /** With {@code sharePrompts}, also the {@link SharedPrompts} layout when some prompt repeats. */
    public static ScoreBatch of(NDManager m, List<int[]> prompts, int[][] responses, byte[][] mask, int pad, DataType dt,
                                boolean sharePrompts) {
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
        long[][] positions = AttentionInputs.leftPaddedPositions(valid);
        AttentionInputs in = AttentionInputs.of(m, valid, positions, dt);
        SharedPrompts shared = sharePrompts ? shared(m, prompts, ids, valid, positions, lp, t, dt) : null;
        return new ScoreBatch(HostArrays.of(m, ids, new Shape(b, l)), in, lp, t, HostArrays.of(m, resp, new Shape(b, t)),
                HostArrays.of(m, msk, new Shape(b, t)), lens, shared);
    }

    /** The two-pass layout of the one-pass batch (ids [B*(Lp+T)], valid and positions [B][Lp+T]); null if no prompt repeats. */
    private static SharedPrompts shared(NDManager m, List<int[]> prompts, long[] ids, byte[][] valid, long[][] positions,
                                        int lp, int t, DataType dt) {
        int b = prompts.size();
        int l = lp + t;
        int[] prompt = new int[b];
        int[] firsts = KvCacheSampler.distinctRows(prompts, prompt);
        long[] rowOf = Arrays.stream(prompt).asLongStream().toArray();
        int n = firsts.length;
        if (n == b) {
            return null;
        }
        long[] pIds = new long[n * lp];
        byte[][] pValid = new byte[n][];
        long[][] pPos = new long[n][];
        for (int i = 0; i < n; i++) {
            int r = firsts[i];
            System.arraycopy(ids, r * l, pIds, i * lp, lp);
            pValid[i] = Arrays.copyOf(valid[r], lp);
            pPos[i] = Arrays.copyOf(positions[r], lp);
        }
        NDArray rTokens = null;
        AttentionInputs rInputs = null;
        if (t > 1) {
            long[] rIds = new long[b * (t - 1)];
            byte[][] keys = new byte[b][];
            long[][] rPos = new long[b][];
            for (int r = 0; r < b; r++) {
                System.arraycopy(ids, r * l + lp, rIds, r * (t - 1), t - 1);
                keys[r] = Arrays.copyOf(valid[r], l - 1);
                rPos[r] = Arrays.copyOfRange(positions[r], lp, l - 1);
            }
            rTokens = HostArrays.of(m, rIds, new Shape(b, t - 1));
            rInputs = AttentionInputs.of(m, keys, rPos, dt);
        }
        return new SharedPrompts(HostArrays.of(m, pIds, new Shape(n, lp)), AttentionInputs.of(m, pValid, pPos, dt),
                HostArrays.of(m, rowOf, new Shape(b)), rTokens, rInputs);
    }
}
