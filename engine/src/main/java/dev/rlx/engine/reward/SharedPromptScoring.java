package dev.rlx.engine.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.rlx.engine.model.AttentionInputs;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.KvCache;
import dev.rlx.engine.tensor.HostArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prefix scores of (prompt, response) rows with each distinct prompt run through the backbone once: the distinct
 * prompts are prefilled into a KV cache (left-padded), the cache rows are copied to the rows that share a prompt,
 * and the responses run after it in one forward. An RL step's rows come in groups that share their prompt, and
 * the prompt is most of each row here, so this does a fraction of the work of scoring every row whole; the
 * numbers are those of a whole-row forward up to float rounding. No gradients (callers turn them off).
 */
final class SharedPromptScoring {
    private SharedPromptScoring() {}

    /** Row i: {@code [S_prompt, S_0, ..., S_{n-1}]}, the score at the prompt's last token and after each response token. */
    static float[][] prefixRows(CausalLM backbone, NDArray scoreWeight, NDManager m, List<int[]> prompts,
                                List<int[]> responses, int pad) {
        int b = prompts.size();
        Map<PromptKey, Integer> index = new HashMap<>();
        List<int[]> distinct = new ArrayList<>();
        long[] promptOf = new long[b];
        for (int r = 0; r < b; r++) {
            int[] p = prompts.get(r);
            Integer at = index.putIfAbsent(new PromptKey(p), distinct.size());
            if (at == null) {
                at = distinct.size();
                distinct.add(p);
            }
            promptOf[r] = at;
        }
        DataType dt = backbone.dataType();
        int lp = distinct.stream().mapToInt(p -> p.length).max().orElse(1);
        byte[][] promptValid = new byte[distinct.size()][lp];
        long[] promptIds = new long[distinct.size() * lp];
        Arrays.fill(promptIds, pad);
        for (int q = 0; q < distinct.size(); q++) {
            int[] p = distinct.get(q);
            int off = lp - p.length;
            for (int j = 0; j < p.length; j++) {
                promptIds[q * lp + off + j] = p[j];
                promptValid[q][off + j] = 1;
            }
        }
        try (KvCache cache = backbone.newCache(m)) {
            AttentionInputs promptIn = AttentionInputs.of(m, promptValid,
                    AttentionInputs.leftPaddedPositions(promptValid), dt);
            NDArray promptHidden = backbone.hidden(HostArrays.of(m, promptIds, new Shape(distinct.size(), lp)), promptIn, cache);
            float[] promptScores = scores(promptHidden.get(new NDIndex(":, {}, :", lp - 1)), scoreWeight).toFloatArray();
            cache.selectRows(HostArrays.of(m, promptOf, new Shape(b)));

            int t = Math.max(1, responses.stream().mapToInt(r -> r.length).max().orElse(1));
            byte[][] keyValid = new byte[b][lp + t];
            long[][] positions = new long[b][t];
            long[] ids = new long[b * t];
            Arrays.fill(ids, pad);
            for (int r = 0; r < b; r++) {
                int q = (int) promptOf[r];
                System.arraycopy(promptValid[q], 0, keyValid[r], 0, lp);
                int[] resp = responses.get(r);
                int promptLength = distinct.get(q).length;
                for (int j = 0; j < t; j++) {
                    positions[r][j] = promptLength + j; // after the prompt's real tokens, as a whole-row forward counts
                    if (j < resp.length) {
                        ids[r * t + j] = resp[j];
                        keyValid[r][lp + j] = 1;
                    }
                }
            }
            NDArray hidden = backbone.hidden(HostArrays.of(m, ids, new Shape(b, t)), AttentionInputs.of(m, keyValid, positions, dt),
                    cache);
            float[] s = scores(hidden, scoreWeight).toFloatArray(); // [B, t]
            float[][] out = new float[b][];
            for (int r = 0; r < b; r++) {
                int len = responses.get(r).length;
                out[r] = new float[len + 1];
                out[r][0] = promptScores[(int) promptOf[r]];
                System.arraycopy(s, r * t, out[r], 1, len);
            }
            return out;
        }
    }

    /** The head over the last axis: [..., D] -> [...] float32. */
    private static NDArray scores(NDArray hidden, NDArray weight) {
        NDArray s = Linear.linear(hidden, weight, null).singletonOrThrow().squeeze(-1);
        return s.getDataType() == DataType.FLOAT32 ? s : s.toType(DataType.FLOAT32, false);
    }

    /** Prompt ids with value equality. */
    private record PromptKey(int[] ids) {
        @Override
        public boolean equals(Object o) {
            return o instanceof PromptKey k && Arrays.equals(ids, k.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }
    }
}
