package dev.rlx.engine.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.rlx.engine.model.AttentionInputs;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.KvCache;
import dev.rlx.engine.tensor.HostArrays;
import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Batched autoregressive sampling with a KV cache. Prompts of different lengths are left-padded; the attention
 * bias hides the padding and positions count real tokens only, so a row gives the same tokens alone or in a
 * batch. The random draws are Gumbel noise made in Java from the seed, so the same seed gives the same
 * samples on any device and thread count. Each decode step is one forward of T=1 plus a handful of fused ops
 * on [B,V]; everything a step allocates lives in a step manager closed at the end of the step.
 */
public final class KvCacheSampler {
    private KvCacheSampler() {}

    /** Encodes text prompts with the tokenizer (no BOS) and generates. */
    public static Generation generateText(CausalLM model, Tokenizer tok, List<String> prompts, SamplingParams p) {
        return generate(model, tok, Arrays.asList(tok.encodeBatch(prompts)), p);
    }

    public static Generation generate(CausalLM model, Tokenizer tok, List<int[]> prompts, SamplingParams p) {
        DecodeRows rows = new DecodeRows(prompts, model.config().maxPositions(), tok, p);
        int v = model.config().vocabSize();
        SplittableRandom rng = new SplittableRandom(p.seed());
        float[] noise = p.greedy() ? null : new float[rows.size * v];
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scope = model.manager().newSubManager()) {
            KvCache cache = p.useCache() ? model.newCache(scope) : null;
            // a group repeats each prompt: the prompt pass runs once per distinct prompt and its cached keys and
            // values are copied to the duplicates (no row depends on another; on CPU the bits match the unshared pass)
            int[] rowOf = new int[rows.size];
            int[] firsts = cache == null ? null : distinctRows(prompts, rowOf);
            int[] fed = null; // the rows the cache holds, in its order (null: all)
            for (int step = 0; step < p.maxTokens() && !rows.finished(); step++) {
                try (NDManager sm = scope.newSubManager()) {
                    boolean shared = step == 0 && firsts != null && firsts.length < rows.size;
                    if (cache != null && step > 0) {
                        fed = dropFinished(rows, cache, fed, sm);
                    }
                    NDArray last = lastLogits(model, rows, cache, step, shared ? firsts : fed, sm);
                    if (shared) {
                        NDArray idx = HostArrays.of(sm, Arrays.stream(rowOf).asLongStream().toArray());
                        last = last.get(idx);
                        cache.selectRows(idx);
                    }
                    if (noise != null) {
                        // every row's draws, finished or not, so the stream does not depend on who is still running
                        gumbel(rng, noise, rows.size * v);
                    }
                    NDArray[] picked = pick(sm, last, p, rowsOf(noise, fed, v));
                    rows.append(fed, picked[0].toLongArray(), picked[1].toFloatArray());
                }
            }
            if (cache != null) {
                cache.close();
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return rows.result(prompts);
    }

    /**
     * Drops finished rows from the cache once at least a quarter of the rows it holds have finished (each drop
     * copies the cache, so not for every row that stops); returns the rows it holds now (null: all, untouched).
     * The rows left compute exactly what they would beside the finished ones: attention never mixes rows.
     */
    private static int[] dropFinished(DecodeRows rows, KvCache cache, int[] fed, NDManager sm) {
        int held = fed == null ? rows.size : fed.length;
        int[] running = rows.running();
        if (running.length == 0 || running.length > held - Math.max(1, held / 4)) {
            return fed;
        }
        long[] keep = new long[running.length];
        for (int i = 0, j = 0; i < running.length; i++) {
            while ((fed == null ? j : fed[j]) != running[i]) {
                j++;
            }
            keep[i] = j;
        }
        cache.selectRows(HostArrays.of(sm, keep, new Shape(keep.length)));
        return running;
    }

    /** The noise rows of the {@code fed} rows ([n*V]; all of it when every row is fed). */
    private static float[] rowsOf(float[] noise, int[] fed, int v) {
        if (noise == null || fed == null) {
            return noise;
        }
        float[] out = new float[fed.length * v];
        for (int i = 0; i < fed.length; i++) {
            System.arraycopy(noise, fed[i] * v, out, i * v, v);
        }
        return out;
    }

    /**
     * One forward of the positions not yet in the cache (all of them without a cache) for {@code only} rows (null:
     * all); returns the float32 logits [n, V] of each row's last position (the head runs on that position alone).
     */
    private static NDArray lastLogits(CausalLM model, DecodeRows rows, KvCache cache, int step, int[] only, NDManager sm) {
        int from = cache == null || step == 0 ? 0 : rows.fed() - 1;
        DecodeRows.StepInputs s = rows.inputs(from, only);
        NDArray tokens = HostArrays.of(sm, s.ids(), new Shape(s.keys().length, s.length()));
        AttentionInputs in = AttentionInputs.of(sm, s.keys(), s.positions(), model.dataType());
        NDArray hidden = model.hidden(tokens, in, cache);
        NDArray last = model.logitsFromHidden(s.length() == 1 ? hidden.squeeze(1) : hidden.get(new NDIndex(":, -1, :")));
        return last.getDataType() == DataType.FLOAT32 ? last : last.toType(DataType.FLOAT32, false);
    }

    /** The first row of each distinct prompt; {@code rowOf[r]} = which of them row r repeats. */
    public static int[] distinctRows(List<int[]> prompts, int[] rowOf) {
        Map<List<Integer>, Integer> seen = new HashMap<>();
        List<Integer> firsts = new ArrayList<>();
        for (int r = 0; r < prompts.size(); r++) {
            List<Integer> key = Arrays.stream(prompts.get(r)).boxed().toList();
            Integer at = seen.putIfAbsent(key, firsts.size());
            if (at == null) {
                at = firsts.size();
                firsts.add(r);
            }
            rowOf[r] = at;
        }
        return firsts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Returns {next token ids [n] int64, their log-probs [n] float32}; {@code noise} holds the n rows' Gumbel draws. */
    static NDArray[] pick(NDManager sm, NDArray logits, SamplingParams p, float[] noise) {
        NDArray scaled = p.greedy() || p.temperature() == 1.0 ? logits : logits.div(p.temperature());
        NDArray logp = scaled.logSoftmax(-1);
        NDArray choice;
        if (p.greedy()) {
            choice = logits.argMax(-1);
        } else {
            NDArray filtered = logp;
            int v = (int) logits.getShape().get(1);
            if (p.topK() > 0 && p.topK() < v) {
                NDArray kth = filtered.topK(p.topK(), -1, true, true).get(0).get(new NDIndex(":, -1:"));
                filtered = where(filtered.lt(kth), HostArrays.scalar(sm, Float.NEGATIVE_INFINITY, DataType.FLOAT32), filtered);
            }
            if (p.topP() < 1.0) {
                // keep the smallest set of top tokens whose mass reaches top_p: the threshold is the smallest
                // kept log-prob, found on the ascending sort without scattering back
                NDArray sorted = filtered.sort(-1);
                NDArray cum = sorted.exp().cumSum(1);
                NDArray thr = where(cum.lte(1.0 - p.topP()), HostArrays.scalar(sm, Float.POSITIVE_INFINITY, DataType.FLOAT32), sorted)
                        .min(new int[] {-1}, true);
                filtered = where(filtered.lt(thr), HostArrays.scalar(sm, Float.NEGATIVE_INFINITY, DataType.FLOAT32), filtered);
            }
            choice = filtered.add(HostArrays.of(sm, noise, logits.getShape())).argMax(-1);
        }
        NDArray chosenLp = logp.gather(choice.expandDims(-1), -1).squeeze(-1);
        return new NDArray[] {choice, chosenLp};
    }

    /** Gumbel-max noise: argmax(logp + g) samples from softmax(logp), g = -log(-log(u)), u in (0, 1). */
    private static void gumbel(SplittableRandom rng, float[] noise, int n) {
        for (int i = 0; i < n; i++) {
            double u = (rng.nextLong() >>> 11) * 0x1.0p-53;
            noise[i] = (float) -Math.log(-Math.log(u + 0x1.0p-60));
        }
    }

    /** torch.where with broadcasting (DJL's NDArrays.where insists on equal shapes). */
    static NDArray where(NDArray cond, NDArray a, NDArray b) {
        return JniUtils.where((PtNDArray) cond, (PtNDArray) a, (PtNDArray) b);
    }
}
