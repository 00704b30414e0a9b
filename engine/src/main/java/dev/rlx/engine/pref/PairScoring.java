package dev.rlx.engine.pref;

import dev.rlx.engine.data.LabeledTokens;
import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.data.PreferenceExample;
import dev.rlx.engine.data.ScoredTokens;
import dev.rlx.engine.data.TokenPair;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.TensorScope;
import dev.rlx.engine.tensor.Tensors;
import dev.rlx.engine.train.ScoreBatch;
import dev.rlx.engine.train.Scorer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds a {@link PreferenceBatch}: ONE forward of the policy over the rows (for pairs 2B rows: the chosen
 * completions, then the rejected, each after its prompt; for labeled or scored completions the B rows), recording
 * gradients, and one of the reference without. Call it inside a gradient recording and a tensor scope; every
 * tensor lands in the innermost scope.
 */
final class PairScoring {
    private PairScoring() {}

    /**
     * The batch's contrastive prompts ({@link Contrast}), one better and one worse prompt per example in batch order,
     * and the model that scores the completions after them.
     */
    record ContrastRows(List<int[]> better, List<int[]> worse, CausalLM model) {}

    /** A batch of examples of one kind (as {@link PreferencePlan} guarantees); {@code contrast} null = none. */
    static PreferenceBatch score(CausalLM policy, CausalLM reference, List<PreferenceExample> examples,
                                 ContrastRows contrast, int pad, TensorScope scope) {
        if (examples.getFirst() instanceof LabeledTokens) {
            List<LabeledTokens> rows = examples.stream().map(e -> (LabeledTokens) e).toList();
            float[] desirable = new float[rows.size()];
            for (int i = 0; i < desirable.length; i++) desirable[i] = rows.get(i).desirable() ? 1f : 0f;
            return scoreRows(policy, reference, Dataset.Kind.LABELED,
                    rows.stream().map(LabeledTokens::prompt).toList(),
                    rows.stream().map(LabeledTokens::completion).toArray(int[][]::new),
                    Map.of("desirable", Tensors.fromFloats(desirable, desirable.length)), contrast, pad, scope);
        }
        if (examples.getFirst() instanceof ScoredTokens) {
            return scoreScored(policy, reference, examples.stream().map(e -> (ScoredTokens) e).toList(), contrast,
                    pad, scope);
        }
        return scorePairs(policy, reference, examples.stream().map(e -> (TokenPair) e).toList(), contrast, pad, scope);
    }

    private static PreferenceBatch scorePairs(CausalLM policy, CausalLM reference, List<TokenPair> pairs,
                                              ContrastRows contrast, int pad, TensorScope scope) {
        int b = pairs.size();
        List<int[]> prompts = new ArrayList<>(2 * b);
        int[][] completions = new int[2 * b][];
        for (int i = 0; i < b; i++) {
            prompts.add(pairs.get(i).prompt());
            completions[i] = pairs.get(i).chosen();
        }
        for (int i = 0; i < b; i++) {
            prompts.add(pairs.get(i).prompt());
            completions[b + i] = pairs.get(i).rejected();
        }
        Forward f = forward(policy, reference, prompts, completions, pad, scope);
        Map<String, Tensor> t = new LinkedHashMap<>();
        putHalves(t, "", f.lp(), f.sums(), f.avg(), b);
        if (reference != null) putHalves(t, "ref_", f.refLp(), f.refSums(), f.refAvg(), b);
        t.put("nll_chosen", t.get("chosen_avg").neg());
        t.put("chosen_lengths", rows(f.lengths(), 0, b));
        t.put("rejected_lengths", rows(f.lengths(), b, 2 * b));
        t.put("chosen_mask", rows(f.mask(), 0, b));
        t.put("rejected_mask", rows(f.mask(), b, 2 * b));
        float[] margins = new float[b];
        for (int i = 0; i < b; i++) margins[i] = (float) pairs.get(i).margin();
        t.put("margin", Tensors.fromFloats(margins, b));
        float[] desirable = new float[2 * b];
        for (int i = 0; i < b; i++) desirable[i] = 1f;
        t.put("desirable", Tensors.fromFloats(desirable, 2L * b));
        Map<String, Supplier<Tensor>> lazy = klAndLogratio(t, f, policy, reference, pad, scope);
        if (contrast != null) {
            // rows as in the main forward: the chosen completions, then the rejected, each after its prompt's variants
            List<int[]> better = new ArrayList<>(contrast.better());
            better.addAll(contrast.better());
            List<int[]> worse = new ArrayList<>(contrast.worse());
            worse.addAll(contrast.worse());
            Supplier<Tensor> lpBetter = once(() -> contrastLogp(contrast.model(), better, f.completions(), pad, scope));
            Supplier<Tensor> lpWorse = once(() -> contrastLogp(contrast.model(), worse, f.completions(), pad, scope));
            lazy.put("better_chosen_token_logp", () -> rows(lpBetter.get(), 0, b));
            lazy.put("better_rejected_token_logp", () -> rows(lpBetter.get(), b, 2 * b));
            lazy.put("worse_chosen_token_logp", () -> rows(lpWorse.get(), 0, b));
            lazy.put("worse_rejected_token_logp", () -> rows(lpWorse.get(), b, 2 * b));
        }
        return new PreferenceBatch(b, Dataset.Kind.PAIRS, contrast != null, t, lazy);
    }

    /** QRPO's scored rows: the per-row fields plus each row's reward [B] and its prompt's reference rewards [B,K]. */
    private static PreferenceBatch scoreScored(CausalLM policy, CausalLM reference, List<ScoredTokens> rows,
                                               ContrastRows contrast, int pad, TensorScope scope) {
        int b = rows.size();
        int k = rows.getFirst().referenceScores().length; // one K per dataset (Dataset checks it)
        float[] scores = new float[b];
        float[] refScores = new float[b * k];
        for (int i = 0; i < b; i++) {
            ScoredTokens row = rows.get(i);
            if (row.referenceScores().length != k) {
                throw new IllegalArgumentException("scored rows with " + k + " and " + row.referenceScores().length
                        + " reference rewards in one batch");
            }
            scores[i] = (float) row.score();
            for (int j = 0; j < k; j++) refScores[i * k + j] = (float) row.referenceScores()[j];
        }
        return scoreRows(policy, reference, Dataset.Kind.SCORED, rows.stream().map(ScoredTokens::prompt).toList(),
                rows.stream().map(ScoredTokens::completion).toArray(int[][]::new),
                Map.of("scores", Tensors.fromFloats(scores, b), "reference_scores",
                        Tensors.fromFloats(refScores, b, k)), contrast, pad, scope);
    }

    /**
     * Unpaired rows (KTO's labeled, QRPO's scored): each completion after its prompt, one row each; {@code extra}
     * holds the kind's own fields from the data.
     */
    private static PreferenceBatch scoreRows(CausalLM policy, CausalLM reference, Dataset.Kind kind,
                                             List<int[]> prompts, int[][] completions, Map<String, Tensor> extra,
                                             ContrastRows contrast, int pad, TensorScope scope) {
        int b = completions.length;
        Forward f = forward(policy, reference, prompts, completions, pad, scope);
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("logp", f.sums());
        t.put("avg", f.avg());
        t.put("lengths", f.lengths());
        t.put("token_logp", f.lp());
        t.put("mask", f.mask());
        t.putAll(extra);
        if (reference != null) {
            t.put("ref_logp", f.refSums());
            t.put("ref_avg", f.refAvg());
            t.put("ref_token_logp", f.refLp());
        }
        Map<String, Supplier<Tensor>> lazy = klAndLogratio(t, f, policy, reference, pad, scope);
        if (contrast != null) {
            lazy.put("better_token_logp", () -> contrastLogp(contrast.model(), contrast.better(), f.completions(), pad,
                    scope));
            lazy.put("worse_token_logp", () -> contrastLogp(contrast.model(), contrast.worse(), f.completions(), pad,
                    scope));
        }
        return new PreferenceBatch(b, kind, contrast != null, t, lazy);
    }

    /**
     * Token log-probs [N,T] of the completions after the given prompts, no gradient. The completions are the main
     * forward's, so T and the padding match its token fields whatever the prompts' lengths (prompts are left-padded).
     */
    private static Tensor contrastLogp(CausalLM model, List<int[]> prompts, int[][] completions, int pad,
                                       TensorScope scope) {
        ScoreBatch sb = ScoreBatch.of(scope.manager(), prompts, completions, null, pad, model.dataType());
        return Tensors.wrap(Scorer.logProbs(model, sb, 1.0, false)).stopGradient();
    }

    /** A supplier that computes once: two fields read the halves of one forward. */
    private static Supplier<Tensor> once(Supplier<Tensor> make) {
        Tensor[] cache = new Tensor[1];
        return () -> {
            if (cache[0] == null) cache[0] = make.get();
            return cache[0];
        };
    }

    /**
     * Both kinds' forward passes over their rows: token log-probs of the policy (with gradient) and of the
     * reference (without; null fields when there is none), their sums over each completion and the sums divided
     * by the completion lengths.
     */
    private record Forward(List<int[]> prompts, int[][] completions, Tensor mask, Tensor lengths, Tensor lp,
                           Tensor sums, Tensor avg, Tensor refLp, Tensor refSums, Tensor refAvg) {}

    private static Forward forward(CausalLM policy, CausalLM reference, List<int[]> prompts, int[][] completions,
                                   int pad, TensorScope scope) {
        ScoreBatch sb = ScoreBatch.of(scope.manager(), prompts, completions, null, pad, policy.dataType());
        Tensor mask = Tensors.wrap(sb.mask());
        float[] lens = new float[completions.length];
        for (int i = 0; i < lens.length; i++) lens[i] = sb.responseLengths()[i];
        Tensor lengths = Tensors.fromFloats(lens, lens.length);
        Tensor lp = Tensors.wrap(Scorer.logProbs(policy, sb, 1.0, true));
        Tensor sums = lp.mul(mask).sum(1, false);
        if (reference == null) {
            return new Forward(prompts, completions, mask, lengths, lp, sums, sums.div(lengths), null, null, null);
        }
        Tensor refLp = Tensors.wrap(Scorer.logProbs(reference, sb, 1.0, false));
        Tensor refSums = refLp.mul(mask).sum(1, false);
        return new Forward(prompts, completions, mask, lengths, lp, sums, sums.div(lengths), refLp, refSums,
                refSums.div(lengths));
    }

    /** With a reference: puts {@code logratio} (policy minus reference sums) and returns the lazy {@code kl}. */
    private static Map<String, Supplier<Tensor>> klAndLogratio(Map<String, Tensor> t, Forward f, CausalLM policy,
                                                                CausalLM reference, int pad, TensorScope scope) {
        Map<String, Supplier<Tensor>> lazy = new LinkedHashMap<>();
        if (reference != null) {
            t.put("logratio", f.sums().sub(f.refSums()));
            lazy.put("kl", () -> mismatchedKl(policy, reference, f.prompts(), f.completions(), pad, scope));
        }
        return lazy;
    }

    /** Puts {prefix}chosen_logp / _avg / _token_logp and the rejected ones from the [2B] rows. */
    private static void putHalves(Map<String, Tensor> t, String prefix, Tensor tokenLogp, Tensor sums, Tensor avg,
                                  int b) {
        t.put(prefix + "chosen_logp", rows(sums, 0, b));
        t.put(prefix + "rejected_logp", rows(sums, b, 2 * b));
        t.put(prefix + "chosen_avg", rows(avg, 0, b));
        t.put(prefix + "rejected_avg", rows(avg, b, 2 * b));
        t.put(prefix + "chosen_token_logp", rows(tokenLogp, 0, b));
        t.put(prefix + "rejected_token_logp", rows(tokenLogp, b, 2 * b));
    }

    private static Tensor rows(Tensor x, int from, int to) {
        return x.slice(0, (long) from, (long) to);
    }

    /**
     * KTO's reference point: row k's prompt with row k+1's completion (cyclically over the rows, so a prompt
     * meets a completion written for another prompt), mean of policy minus reference log-prob sums, no gradient.
     */
    private static Tensor mismatchedKl(CausalLM policy, CausalLM reference, List<int[]> prompts, int[][] completions,
                                       int pad, TensorScope scope) {
        int n = completions.length;
        int[][] shifted = new int[n][];
        for (int k = 0; k < n; k++) shifted[k] = completions[(k + 1) % n];
        ScoreBatch sb = ScoreBatch.of(scope.manager(), prompts, shifted, null, pad, policy.dataType());
        Tensor mask = Tensors.wrap(sb.mask());
        Tensor lp = Tensors.wrap(Scorer.logProbs(policy, sb, 1.0, false)).mul(mask).sum(1, false);
        Tensor ref = Tensors.wrap(Scorer.logProbs(reference, sb, 1.0, false)).mul(mask).sum(1, false);
        return lp.sub(ref).mean().stopGradient();
    }
}
