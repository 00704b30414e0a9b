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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        int b = prompts.size();
        if (b == 0) {
            throw new IllegalArgumentException("no prompts");
        }
        int lp = 0;
        for (int[] pr : prompts) {
            if (pr.length == 0) {
                throw new IllegalArgumentException("empty prompt: start it with a BOS token");
            }
            lp = Math.max(lp, pr.length);
        }
        int total = lp + p.maxTokens();
        if (total > model.config().maxPositions()) {
            throw new IllegalArgumentException("prompt (" + lp + ") + max_tokens (" + p.maxTokens()
                    + ") exceeds the model's context of " + model.config().maxPositions());
        }
        int pad = tok != null && tok.padId() >= 0 ? tok.padId() : 0;
        Set<Integer> stops = new HashSet<>(p.stopTokens());
        if (p.stopAtEos() && tok != null && tok.eosId() >= 0) {
            stops.add(tok.eosId());
        }
        // sequence state in Java: ids, key validity and positions over the whole (prompt + response) length
        long[][] seq = new long[b][total];
        byte[][] valid = new byte[b][total];
        long[] nextPos = new long[b];
        for (int r = 0; r < b; r++) {
            int[] pr = prompts.get(r);
            int off = lp - pr.length;
            Arrays.fill(seq[r], pad);
            for (int j = 0; j < pr.length; j++) {
                seq[r][off + j] = pr[j];
                valid[r][off + j] = 1;
            }
            nextPos[r] = pr.length;
        }
        int[][] out = new int[b][p.maxTokens()];
        float[][] lps = new float[b][p.maxTokens()];
        int[] len = new int[b];
        String[] reason = new String[b];
        String[] texts = new String[b];
        boolean[] done = new boolean[b];
        int remaining = b;
        SplittableRandom rng = new SplittableRandom(p.seed());
        float[] noise = p.greedy() ? null : new float[b * model.config().vocabSize()];

        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scope = model.manager().newSubManager()) {
            KvCache cache = p.useCache() ? model.newCache(scope) : null;
            int cur = lp; // number of positions fed so far after this step's forward
            // a group repeats each prompt: the prompt pass runs once per distinct prompt and its cached keys and
            // values are copied to the duplicates (no row depends on another; on CPU the bits match the unshared pass)
            int[] rowOf = new int[b];
            int[] firsts = cache == null ? null : distinctRows(prompts, rowOf);
            for (int step = 0; step < p.maxTokens() && remaining > 0; step++) {
                try (NDManager sm = scope.newSubManager()) {
                    int from = cache == null || step == 0 ? 0 : cur - 1;
                    int t = cur - from;
                    boolean shared = step == 0 && firsts != null && firsts.length < b;
                    int n = shared ? firsts.length : b;
                    long[] ids = new long[n * t];
                    long[][] pos = new long[n][t];
                    byte[][] keys = new byte[n][];
                    long[][] allPos = AttentionInputs.leftPaddedPositions(cut(valid, cur));
                    for (int i = 0; i < n; i++) {
                        int r = shared ? firsts[i] : i;
                        System.arraycopy(seq[r], from, ids, i * t, t);
                        System.arraycopy(allPos[r], from, pos[i], 0, t);
                        keys[i] = Arrays.copyOf(valid[r], cur);
                    }
                    NDArray tokens = HostArrays.of(sm, ids, new Shape(n, t));
                    AttentionInputs in = AttentionInputs.of(sm, keys, pos, model.dataType());
                    NDArray hidden = model.hidden(tokens, in, cache);
                    // only the last position is sampled from: the head runs on it alone
                    NDArray last = model.logitsFromHidden(t == 1 ? hidden.squeeze(1) : hidden.get(new NDIndex(":, -1, :")));
                    if (shared) {
                        NDArray rows = HostArrays.of(sm, Arrays.stream(rowOf).asLongStream().toArray());
                        last = last.get(rows);
                        cache.selectRows(rows);
                    }
                    if (last.getDataType() != DataType.FLOAT32) {
                        last = last.toType(DataType.FLOAT32, false);
                    }
                    NDArray[] picked = pick(sm, last, p, rng, noise);
                    long[] next = picked[0].toLongArray();
                    float[] nextLp = picked[1].toFloatArray();
                    for (int r = 0; r < b; r++) {
                        if (done[r]) {
                            continue;
                        }
                        int tokId = (int) next[r];
                        out[r][len[r]] = tokId;
                        lps[r][len[r]] = nextLp[r];
                        len[r]++;
                        seq[r][cur] = tokId;
                        valid[r][cur] = 1;
                        String finish = null;
                        if (stops.contains(tokId)) {
                            finish = "stop";
                        } else if (!p.stopStrings().isEmpty() && tok != null) {
                            String text = tok.decode(Arrays.copyOf(out[r], len[r]));
                            for (String s : p.stopStrings()) {
                                int at = text.indexOf(s);
                                if (at >= 0) {
                                    finish = "stop";
                                    texts[r] = text.substring(0, at);
                                    break;
                                }
                            }
                        }
                        if (finish == null && len[r] == p.maxTokens()) {
                            finish = "length";
                        }
                        if (finish != null) {
                            done[r] = true;
                            reason[r] = finish;
                            remaining--;
                        }
                    }
                    cur++;
                }
            }
            if (cache != null) {
                cache.close();
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return assemble(prompts, out, lps, len, texts, reason, tok, pad);
    }

    /** The first row of each distinct prompt; {@code rowOf[r]} = which of them row r repeats. */
    static int[] distinctRows(List<int[]> prompts, int[] rowOf) {
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

    private static byte[][] cut(byte[][] valid, int n) {
        byte[][] c = new byte[valid.length][];
        for (int r = 0; r < valid.length; r++) {
            c[r] = Arrays.copyOf(valid[r], n);
        }
        return c;
    }

    /** Returns {next token ids [B] int64, their log-probs [B] float32}. */
    static NDArray[] pick(NDManager sm, NDArray logits, SamplingParams p, SplittableRandom rng, float[] noise) {
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
            int n = (int) logits.getShape().size();
            for (int i = 0; i < n; i++) {
                // Gumbel-max: argmax(logp + g), g = -log(-log(u)), u in (0, 1)
                double u = (rng.nextLong() >>> 11) * 0x1.0p-53;
                noise[i] = (float) -Math.log(-Math.log(u + 0x1.0p-60));
            }
            choice = filtered.add(HostArrays.of(sm, noise, logits.getShape())).argMax(-1);
        }
        NDArray chosenLp = logp.gather(choice.expandDims(-1), -1).squeeze(-1);
        return new NDArray[] {choice, chosenLp};
    }

    /** torch.where with broadcasting (DJL's NDArrays.where insists on equal shapes). */
    static NDArray where(NDArray cond, NDArray a, NDArray b) {
        return JniUtils.where((PtNDArray) cond, (PtNDArray) a, (PtNDArray) b);
    }

    private static Generation assemble(List<int[]> prompts, int[][] out, float[][] lps, int[] len, String[] texts,
                                       String[] reason, Tokenizer tok, int pad) {
        int b = out.length;
        int t = 0;
        for (int l : len) {
            t = Math.max(t, l);
        }
        int[][] tokens = new int[b][t];
        float[][] logp = new float[b][t];
        byte[][] mask = new byte[b][t];
        for (int r = 0; r < b; r++) {
            Arrays.fill(tokens[r], pad);
            System.arraycopy(out[r], 0, tokens[r], 0, len[r]);
            System.arraycopy(lps[r], 0, logp[r], 0, len[r]);
            Arrays.fill(mask[r], 0, len[r], (byte) 1);
            if (tok != null && texts[r] == null) {
                texts[r] = tok.decode(Arrays.copyOf(out[r], len[r]));
            }
        }
        List<int[]> ps = new ArrayList<>(prompts);
        return new Generation(ps.toArray(new int[0][]), tokens, logp, mask, len, tok == null ? null : texts, reason);
    }
}
