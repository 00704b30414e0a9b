package dev.rlx.engine.rl;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.Tensors;
import dev.rlx.engine.train.ScoreBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 2 of a step: the kept groups become the batch record {@code b} ({@code scores}, {@code rewards},
 * {@code terms}, {@code mask}, {@code lengths}, {@code truncated}, {@code sampling_logp}, {@code baseline_scores},
 * {@code state}) and
 * the token batch the scoring and update forwards read. Rows are B = prompts x group, each prompt's contiguous;
 * T is the longest completion. The score is the weighted sum of the terms, added at each row's last token of
 * {@code rewards} on top of the dense rewards.
 */
final class BatchAssembly {
    private BatchAssembly() {}

    /**
     * The assembled step: {@code batch} (no log-probs yet), the token batch, per-row prompt ids and responses
     * (minibatches re-pad them), and the per-row values the step log reports.
     */
    record StepBatch(Batch batch, ScoreBatch tokens, List<int[]> promptIds, int[][] responses, float[] scores,
                     float[][] termValues, int[] errors, List<String> termNames) {
        int size() {
            return responses.length;
        }
    }

    static StepBatch assemble(RolloutStage.Result rollout, int group, int pad, DataType dtype, NDManager manager,
                              Map<String, Object> state, boolean sharePrompts) {
        List<RolloutStage.Group> groups = rollout.groups();
        int bsz = groups.size() * group;
        List<int[]> promptIds = new ArrayList<>(bsz);
        int[][] resp = new int[bsz][];
        List<Sample> samples = new ArrayList<>(bsz);
        int tmax = 1;
        for (int q = 0; q < groups.size(); q++) {
            RolloutStage.Group gr = groups.get(q);
            for (RolloutStage.Completion c : gr.completions()) {
                promptIds.add(gr.promptTokens());
                resp[samples.size()] = c.tokens();
                tmax = Math.max(tmax, c.tokens().length);
                samples.add(new Sample(gr.prompt().text(), c.text(), c.tokens(), c.tokens().length, c.finish(),
                        gr.prompt().answer(), gr.prompt().fields(), q));
            }
        }
        List<String> names = rollout.termNames();
        double[] weights = rollout.weights();
        int kTerms = names.size();
        float[] scores = new float[bsz];
        float[] lens = new float[bsz];
        float[] trunc = new float[bsz];
        float[] rewards = new float[bsz * tmax];
        float[] baseline = new float[bsz];
        float[] samplingLogp = new float[bsz * tmax];
        float[][] termVals = new float[kTerms][bsz];
        int[] errs = new int[bsz];
        int r = 0;
        for (RolloutStage.Group gr : groups) {
            for (RolloutStage.Completion c : gr.completions()) {
                double sc = 0;
                for (int k = 0; k < kTerms; k++) {
                    sc += weights[k] * c.terms()[k];
                    termVals[k][r] = (float) c.terms()[k];
                }
                scores[r] = (float) sc;
                baseline[r] = (float) gr.baselineScore();
                errs[r] = c.errors();
                int len = c.tokens().length;
                lens[r] = len;
                trunc[r] = "length".equals(c.finish()) ? 1f : 0f;
                if (c.dense() != null) {
                    for (int j = 0; j < Math.min(len, c.dense().length); j++) rewards[r * tmax + j] = c.dense()[j];
                }
                rewards[r * tmax + len - 1] += (float) sc;
                System.arraycopy(c.logprobs(), 0, samplingLogp, r * tmax, len);
                r++;
            }
        }
        ScoreBatch sb = ScoreBatch.of(manager, promptIds, resp, null, pad, dtype, sharePrompts);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("scores", Tensors.fromFloats(scores, bsz));
        tensors.put("rewards", Tensors.fromFloats(rewards, bsz, tmax));
        tensors.put("mask", Tensors.wrap(sb.mask()));
        tensors.put("lengths", Tensors.fromFloats(lens, bsz));
        tensors.put("truncated", Tensors.fromFloats(trunc, bsz));
        tensors.put("sampling_logp", Tensors.fromFloats(samplingLogp, bsz, tmax));
        if (!groups.isEmpty() && !Double.isNaN(groups.get(0).baselineScore())) {
            tensors.put("baseline_scores", Tensors.fromFloats(baseline, bsz));
        }
        Map<String, Tensor> terms = new LinkedHashMap<>();
        for (int k = 0; k < kTerms; k++) terms.put(names.get(k), Tensors.fromFloats(termVals[k], bsz));
        Batch batch = new Batch(group, List.copyOf(samples), tensors, terms, state, null);
        return new StepBatch(batch, sb, promptIds, resp, scores, termVals, errs, names);
    }
}
