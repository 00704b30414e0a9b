package dev.rlx.engine.sample;

import dev.rlx.engine.model.AttentionInputs;
import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Java side of one batched generation: each row's ids, key validity and generated tokens over the whole
 * (left-padded prompt + response) length, and when each row stopped. {@link KvCacheSampler} feeds it the
 * sampled ids step by step.
 *
 * <p>Kept apart from the decode loop, in small methods, on purpose: as one 1,300-byte method the JVM's
 * optimizing compiler spent ~5 s of a 2-core machine compiling and recompiling it (on-stack replacement of
 * its inner row loops, with the model forward inlined) during the first hundred steps of a run.
 */
final class DecodeRows {
    final int size;
    private final SamplingParams params;
    private final Tokenizer tok;
    private final int pad;
    private final Set<Integer> stops = new HashSet<>();
    private final long[][] seq;
    private final byte[][] valid;
    private final int[][] out;
    private final float[][] lps;
    private final int[] len;
    private final String[] reason;
    private final String[] texts;
    private final boolean[] done;
    private int remaining;
    /** Positions fed to the model so far (prompt + generated). */
    private int cur;

    DecodeRows(List<int[]> prompts, int maxPositions, Tokenizer tok, SamplingParams p) {
        size = prompts.size();
        if (size == 0) {
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
        if (total > maxPositions) {
            throw new IllegalArgumentException("prompt (" + lp + ") + max_tokens (" + p.maxTokens()
                    + ") exceeds the model's context of " + maxPositions);
        }
        params = p;
        this.tok = tok;
        pad = tok != null && tok.padId() >= 0 ? tok.padId() : 0;
        stops.addAll(p.stopTokens());
        if (p.stopAtEos() && tok != null && tok.eosId() >= 0) {
            stops.add(tok.eosId());
        }
        seq = new long[size][total];
        valid = new byte[size][total];
        for (int r = 0; r < size; r++) {
            int[] pr = prompts.get(r);
            int off = lp - pr.length;
            Arrays.fill(seq[r], pad);
            for (int j = 0; j < pr.length; j++) {
                seq[r][off + j] = pr[j];
                valid[r][off + j] = 1;
            }
        }
        out = new int[size][p.maxTokens()];
        lps = new float[size][p.maxTokens()];
        len = new int[size];
        reason = new String[size];
        texts = new String[size];
        done = new boolean[size];
        remaining = size;
        cur = lp;
    }

    boolean finished() {
        return remaining == 0;
    }

    /** The inputs of the next forward: ids [n*t], positions [n][t] and key validity [n][cur] of the given rows. */
    record StepInputs(long[] ids, long[][] positions, byte[][] keys, int length) {}

    /**
     * @param from first position to feed (0 without a cache or on the first step, else the last fed position)
     * @param rows which rows, or null for all
     */
    StepInputs inputs(int from, int[] rows) {
        int t = cur - from;
        int n = rows == null ? size : rows.length;
        long[] ids = new long[n * t];
        long[][] pos = new long[n][t];
        byte[][] keys = new byte[n][];
        for (int i = 0; i < n; i++) {
            int r = rows == null ? i : rows[i];
            keys[i] = Arrays.copyOf(valid[r], cur);
            long[] all = AttentionInputs.leftPaddedPositions(keys[i]);
            System.arraycopy(seq[r], from, ids, i * t, t);
            System.arraycopy(all, from, pos[i], 0, t);
        }
        return new StepInputs(ids, pos, keys, t);
    }

    int fed() {
        return cur;
    }

    /** The rows still running, ascending. */
    int[] running() {
        int[] out = new int[remaining];
        for (int r = 0, i = 0; r < size; r++) {
            if (!done[r]) {
                out[i++] = r;
            }
        }
        return out;
    }

    /**
     * Appends one sampled token (and its log-prob) to every row still running, then advances one position.
     * {@code next[i]} belongs to row {@code fed[i]} (to row i when {@code fed} is null).
     */
    void append(int[] fed, long[] next, float[] nextLp) {
        for (int i = 0; i < next.length; i++) {
            int r = fed == null ? i : fed[i];
            if (!done[r]) {
                appendRow(r, (int) next[i], nextLp[i]);
            }
        }
        cur++;
    }

    private void appendRow(int r, int tokId, float lp) {
        out[r][len[r]] = tokId;
        lps[r][len[r]] = lp;
        len[r]++;
        seq[r][cur] = tokId;
        valid[r][cur] = 1;
        String finish = stops.contains(tokId) ? "stop" : stopString(r);
        if (finish == null && len[r] == params.maxTokens()) {
            finish = "length";
        }
        if (finish != null) {
            done[r] = true;
            reason[r] = finish;
            remaining--;
        }
    }

    /** "stop" when the row's text now holds a stop string (its text is cut before it), else null. */
    private String stopString(int r) {
        if (params.stopStrings().isEmpty() || tok == null) {
            return null;
        }
        String text = tok.decode(Arrays.copyOf(out[r], len[r]));
        for (String s : params.stopStrings()) {
            int at = text.indexOf(s);
            if (at >= 0) {
                texts[r] = text.substring(0, at);
                return "stop";
            }
        }
        return null;
    }

    /** The generation: responses right-padded to the longest one, texts decoded where no stop string cut them. */
    Generation result(List<int[]> prompts) {
        int t = 0;
        for (int l : len) {
            t = Math.max(t, l);
        }
        int[][] tokens = new int[size][t];
        float[][] logp = new float[size][t];
        byte[][] mask = new byte[size][t];
        for (int r = 0; r < size; r++) {
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
