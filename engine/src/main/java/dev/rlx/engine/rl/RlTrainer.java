package dev.rlx.engine.rl;

import com.google.gson.JsonObject;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.run.RunFolder;
import dev.rlx.engine.sample.Generation;
import dev.rlx.engine.sample.KvCacheSampler;
import dev.rlx.engine.sample.SamplingParams;
import dev.rlx.engine.tensor.GradientRecording;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.TensorScope;
import dev.rlx.engine.tensor.Tensors;
import dev.rlx.engine.train.AdamW;
import dev.rlx.engine.train.LrSchedule;
import dev.rlx.engine.train.ScalarHead;
import dev.rlx.engine.train.ScoreBatch;
import dev.rlx.engine.train.Scorer;
import dev.rlx.engine.weights.HfModels;
import dev.rlx.engine.weights.SafeTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The RL loop. One step: rollout (group completions per prompt) -> rewards -> (optional dynamic-sampling
 * filter and refill) -> old/ref log-probs and values without gradients -> credit -> epochs x minibatches of
 * (forward with gradients -> loss -> backward -> clip -> AdamW) -> metrics line -> checkpoint. Every tensor
 * of a step lives in one {@link TensorScope} closed at the end of the step, so memory stays flat.
 *
 * <p>Determinism: all randomness derives from (seed, step, round): the data order (a seeded permutation per
 * pass over the prompts, addressed by an integer cursor), sampling noise, minibatch shuffles. With the
 * checkpointed weights, optimizer moments and cursor, {@link #resume} continues bit for bit (same machine and
 * thread count). Note that dynamic sampling filters before old log-probs and credit are computed.
 */
public final class RlTrainer implements AutoCloseable {
    private final RlPlan plan;
    private final RunFolder folder;
    private final RunListener listener;
    private final CausalLM policy;
    private final CausalLM reference;
    private final CausalLM criticBackbone;
    private final ScalarHead critic;
    private final AdamW opt;
    private final AdamW criticOpt;
    private final LrSchedule schedule;
    private final LrSchedule criticSchedule;
    private final int pad;
    private int step;
    private long cursor;
    private double startAccuracy = Double.NaN;
    private double lastAccuracy = Double.NaN;
    private int bestStep = -1;
    private double bestAccuracy = Double.NaN;
    private Path lastCheckpoint;
    private int[] perm;
    private long permEpoch = -1;

    /** The trained policy (owned by the caller: close it) and the summary. */
    public record Result(RunSummary summary, CausalLM policy) implements AutoCloseable {
        @Override
        public void close() {
            policy.close();
        }
    }

    /** Starts a new run in {@code plan.runDir()}; fails if that folder already holds checkpoints (use resume). */
    public static Result run(RlPlan plan, RunListener listener) {
        RunFolder f = new RunFolder(plan.runDir());
        if (!f.checkpoints().isEmpty()) {
            f.close();
            throw new IllegalStateException(plan.runDir() + " already holds checkpoints: resume it or use a new run folder");
        }
        f.truncateAfter(0);
        f.removeTemps();
        RlTrainer t = new RlTrainer(plan, f, listener, null);
        return t.train();
    }

    /**
     * Continues the run in {@code runDir} from its newest complete checkpoint (a fresh start when there is
     * none): metrics and samples lines after that step are dropped and the same plan must be given.
     */
    public static Result resume(RlPlan plan, Path runDir, RunListener listener) {
        RlPlan p = plan.runDir().equals(runDir) ? plan : withRunDir(plan, runDir);
        RunFolder f = new RunFolder(runDir);
        f.removeTemps();
        Path ckpt = f.latestCheckpoint().orElse(null);
        f.truncateAfter(ckpt == null ? 0 : RunFolder.stepOf(ckpt));
        return new RlTrainer(p, f, listener, ckpt).train();
    }

    private static RlPlan withRunDir(RlPlan p, Path dir) {
        return new RlPlan(p.policy(), p.tokenizer(), p.data(), p.rollout(), p.rewards(), p.credit(), p.loss(),
                p.optimizer(), p.steps(), p.batch(), p.epochs(), p.minibatch(), p.reference(), p.critic(),
                p.dynamicSampling(), p.eval(), p.correctness(), p.checkpointEvery(), p.keepLast(), p.samplesPerStep(),
                p.seed(), dir, p.initialState());
    }

    private RlTrainer(RlPlan plan, RunFolder folder, RunListener listener, Path checkpoint) {
        this.plan = plan;
        this.folder = folder;
        this.listener = listener == null ? RunListener.NONE : listener;
        this.pad = plan.tokenizer().padId() >= 0 ? plan.tokenizer().padId() : 0;
        this.policy = checkpoint == null ? plan.policy().copy()
                : HfModels.load(checkpoint.resolve("policy"), plan.policy().compute());
        policy.setTrainable(true);
        RlPlan.Optimizer o = plan.optimizer();
        this.opt = new AdamW(policy.parameters(), policy.manager(), o.beta1(), o.beta2(), o.eps(), o.weightDecay(), o.clipGrad());
        this.schedule = o.lrSchedule(plan.steps());
        this.reference = plan.reference() ? plan.policy().frozenCopy() : null;
        if (plan.critic() != null) {
            criticBackbone = checkpoint == null ? plan.policy().copy()
                    : HfModels.load(checkpoint.resolve("critic"), plan.policy().compute());
            critic = new ScalarHead(criticBackbone, plan.seed() ^ 0x5EEDC0DEL);
            if (checkpoint != null) {
                try (var tmp = criticBackbone.manager().newSubManager()) {
                    var head = SafeTensors.read(checkpoint.resolve("critic_head.safetensors"), tmp);
                    for (var e : critic.parameters().entrySet()) {
                        head.get(e.getKey()).copyTo(e.getValue());
                    }
                }
            }
            critic.setTrainable(true);
            RlPlan.Optimizer co = plan.critic().optimizer();
            criticOpt = new AdamW(criticParams(), criticBackbone.manager(), co.beta1(), co.beta2(), co.eps(),
                    co.weightDecay(), co.clipGrad());
            criticSchedule = co.lrSchedule(plan.steps());
        } else {
            criticBackbone = null;
            critic = null;
            criticOpt = null;
            criticSchedule = null;
        }
        if (checkpoint != null) {
            JsonObject s = RunFolder.readState(checkpoint).orElseThrow();
            if (s.get("seed").getAsLong() != plan.seed()) {
                throw new IllegalArgumentException("resume: the run used seed " + s.get("seed") + ", the plan has " + plan.seed());
            }
            opt.loadState(checkpoint.resolve("optimizer.safetensors"));
            if (criticOpt != null) {
                criticOpt.loadState(checkpoint.resolve("critic_optimizer.safetensors"));
            }
            step = s.get("step").getAsInt();
            cursor = s.get("cursor").getAsLong();
            startAccuracy = num(s, "start_accuracy");
            lastAccuracy = num(s, "last_accuracy");
            bestAccuracy = num(s, "best_accuracy");
            bestStep = s.get("best_step").getAsInt();
            lastCheckpoint = checkpoint;
        }
    }

    private Map<String, ai.djl.ndarray.NDArray> criticParams() {
        Map<String, ai.djl.ndarray.NDArray> m = new LinkedHashMap<>(critic.parameters());
        for (var e : criticBackbone.parameters().entrySet()) {
            m.put("backbone." + e.getKey(), e.getValue());
        }
        return m;
    }

    private static double num(JsonObject s, String k) {
        return s.has(k) && !s.get(k).isJsonNull() ? s.get(k).getAsDouble() : Double.NaN;
    }

    // ---------------------------------------------------------------- the loop

    private Result train() {
        long t0 = System.nanoTime();
        boolean cancelled = false;
        boolean ok = false;
        try {
            if (step == 0 && plan.eval() != null) {
                startAccuracy = evaluate(0);
                recordEval(0, startAccuracy);
            }
            while (step < plan.steps()) {
                int s = step + 1;
                StepMetrics m = runStep(s);
                step = s;
                listener.onStep(m);
                cancelled = listener.cancelled();
                boolean last = step == plan.steps();
                if (last || cancelled || (plan.checkpointEvery() > 0 && step % plan.checkpointEvery() == 0)) {
                    checkpoint();
                }
                if (cancelled) break;
            }
            ok = true;
            RunSummary summary = new RunSummary(step, startAccuracy, lastAccuracy, bestStep, bestAccuracy,
                    (System.nanoTime() - t0) / 1e9, cancelled, lastCheckpoint);
            listener.onEnd(summary);
            return new Result(summary, policy);
        } finally {
            closeAll(ok);
        }
    }

    private void closeAll(boolean keepPolicy) {
        folder.close();
        opt.close();
        if (reference != null) reference.close();
        if (critic != null) {
            criticOpt.close();
            critic.close();
            criticBackbone.close();
        }
        if (keepPolicy) {
            policy.setTrainable(false);
        } else {
            policy.close();
        }
    }

    @Override
    public void close() {
        closeAll(false);
    }

    /** A group: one prompt and its completions with their reward terms. */
    private record Row(int[] tokens, String text, String finish, double[] terms, float[] dense, int errors) {}

    private record Group(PromptSource.Prompt prompt, int[] promptTokens, List<Row> rows, double spread) {}

    private StepMetrics runStep(int s) {
        long tStart = System.nanoTime();
        RlPlan.Rollout ro = plan.rollout();
        int g = ro.group();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", s);
        try (TensorScope scope = TensorScope.open()) {
            // -------- rollout and rewards, with dynamic sampling
            long rolloutNs = 0;
            long rewardNs = 0;
            List<Group> kept = new ArrayList<>();
            List<String> termNames = null;
            double[] weights = null;
            int filtered = 0;
            int rounds = 0;
            int rewardErrors = 0; // failed reward calls scored 0 (on_reward_error "zero"), over every round
            while (true) {
                int need = plan.batch() - kept.size();
                List<PromptSource.Prompt> prompts = new ArrayList<>();
                List<int[]> ids = new ArrayList<>();
                for (int i = 0; i < need; i++) {
                    PromptSource.Prompt p = plan.data().get(nextIndex());
                    prompts.add(p);
                    int[] t = plan.tokenizer().encodeWithBos(p.text());
                    for (int k = 0; k < g; k++) ids.add(t);
                }
                long a = System.nanoTime();
                Generation gen = KvCacheSampler.generate(policy, plan.tokenizer(), ids, SamplingParams.builder()
                        .maxTokens(ro.maxTokens()).temperature(ro.temperature()).topK(ro.topK()).topP(ro.topP())
                        .stopStrings(ro.stop()).seed(mix(plan.seed(), s, rounds)).build());
                long b = System.nanoTime();
                List<Sample> samples = new ArrayList<>();
                for (int r = 0; r < gen.batchSize(); r++) {
                    PromptSource.Prompt p = prompts.get(r / g);
                    samples.add(new Sample(p.text(), gen.texts()[r], gen.response(r), gen.lengths()[r],
                            gen.finishReasons()[r], p.answer(), p.fields(), kept.size() + r / g));
                }
                RewardEvaluator.Rewards rw = plan.rewards().evaluate(samples);
                if (rw.values().length != samples.size()) {
                    throw new IllegalArgumentException("rewards: " + rw.values().length + " rows for " + samples.size() + " samples");
                }
                if (termNames == null) {
                    termNames = rw.names();
                    weights = rw.weights();
                } else if (!termNames.equals(rw.names())) {
                    throw new IllegalArgumentException("rewards: term names changed between rollouts: " + termNames + " vs " + rw.names());
                }
                for (int i = 0; i < samples.size(); i++) rewardErrors += rw.errors(i);
                rewardNs += System.nanoTime() - b;
                rolloutNs += b - a;
                rounds++;
                List<Group> round = new ArrayList<>();
                for (int q = 0; q < need; q++) {
                    List<Row> rows = new ArrayList<>();
                    double lo = Double.POSITIVE_INFINITY;
                    double hi = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < g; k++) {
                        int r = q * g + k;
                        double sc = rw.score(r);
                        lo = Math.min(lo, sc);
                        hi = Math.max(hi, sc);
                        float[] dense = rw.dense() == null ? null : rw.dense()[r];
                        rows.add(new Row(gen.response(r), gen.texts()[r], gen.finishReasons()[r], rw.values()[r], dense,
                                rw.errors(r)));
                    }
                    round.add(new Group(prompts.get(q), ids.get(q * g), rows, hi - lo));
                }
                if (plan.dynamicSampling() == null) {
                    kept.addAll(round);
                    break;
                }
                for (Group gr : round) {
                    if (gr.spread() > 0) kept.add(gr);
                    else filtered++;
                }
                if (kept.size() >= plan.batch() || rounds > plan.dynamicSampling().maxRetries()) {
                    if (kept.isEmpty()) kept.addAll(round); // nothing to learn from; keep the step's shape
                    break;
                }
            }
            m.put("time_ms_total", 0.0);
            m.put("time_ms_rollout", rolloutNs / 1e6);
            m.put("time_ms_reward", rewardNs / 1e6);

            // -------- the batch
            long tc = System.nanoTime();
            int bsz = kept.size() * g;
            List<int[]> promptIds = new ArrayList<>(bsz);
            int[][] resp = new int[bsz][];
            List<Sample> samples = new ArrayList<>(bsz);
            int tmax = 1;
            for (int q = 0; q < kept.size(); q++) {
                Group gr = kept.get(q);
                for (Row row : gr.rows()) {
                    promptIds.add(gr.promptTokens());
                    resp[samples.size()] = row.tokens();
                    tmax = Math.max(tmax, row.tokens().length);
                    samples.add(new Sample(gr.prompt().text(), row.text(), row.tokens(), row.tokens().length, row.finish(),
                            gr.prompt().answer(), gr.prompt().fields(), q));
                }
            }
            int kTerms = termNames.size();
            float[] scores = new float[bsz];
            float[] lens = new float[bsz];
            float[] trunc = new float[bsz];
            float[] rewards = new float[bsz * tmax];
            float[][] termVals = new float[kTerms][bsz];
            int[] errs = new int[bsz];
            int r = 0;
            for (Group gr : kept) {
                for (Row row : gr.rows()) {
                    double sc = 0;
                    for (int k = 0; k < kTerms; k++) {
                        sc += weights[k] * row.terms()[k];
                        termVals[k][r] = (float) row.terms()[k];
                    }
                    scores[r] = (float) sc;
                    errs[r] = row.errors();
                    int len = row.tokens().length;
                    lens[r] = len;
                    trunc[r] = "length".equals(row.finish()) ? 1f : 0f;
                    if (row.dense() != null) {
                        for (int j = 0; j < Math.min(len, row.dense().length); j++) rewards[r * tmax + j] = row.dense()[j];
                    }
                    rewards[r * tmax + len - 1] += (float) sc;
                    r++;
                }
            }
            ScoreBatch sb = ScoreBatch.of(scope.manager(), promptIds, resp, null, pad, policy.dataType());
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("scores", Tensors.fromFloats(scores, bsz));
            tensors.put("rewards", Tensors.fromFloats(rewards, bsz, tmax));
            Tensor mask = Tensors.wrap(sb.mask());
            tensors.put("mask", mask);
            tensors.put("lengths", Tensors.fromFloats(lens, bsz));
            tensors.put("truncated", Tensors.fromFloats(trunc, bsz));
            Map<String, Tensor> terms = new LinkedHashMap<>();
            for (int k = 0; k < kTerms; k++) terms.put(termNames.get(k), Tensors.fromFloats(termVals[k], bsz));
            double temp = ro.temperature();
            if (reference != null) {
                tensors.put("ref_logp", Tensors.wrap(Scorer.logProbs(reference, sb, temp, false)));
            }
            if (critic != null) {
                Tensor v = noGrad(() -> Tensors.wrap(critic.values(sb)));
                tensors.put("values", v);
                tensors.put("old_values", v);
            }
            Batch batch = new Batch(g, List.copyOf(samples), tensors, terms, null, () -> {
                Tensor t = Tensors.wrap(Scorer.logProbs(policy, sb, temp, false));
                t.ndarray().attach(scope.manager());
                return t;
            });
            CreditFunction.Credit credit = plan.credit().compute(batch);
            Tensor adv = advantages(credit, bsz, tmax, mask, s);
            batch = batch.with("advantages", adv);
            if (credit.returns() != null) {
                requireShape("credit returns", credit.returns(), bsz, tmax);
                batch = batch.with("returns", credit.returns());
            } else if (critic != null) {
                throw new IllegalArgumentException("credit: a critic needs returns [B,T] from the credit function");
            }
            m.put("time_ms_credit", (System.nanoTime() - tc) / 1e6);

            // -------- update
            long tu = System.nanoTime();
            update(s, batch, sb, promptIds, resp, m);
            m.put("time_ms_update", (System.nanoTime() - tu) / 1e6);

            // -------- rollout statistics (Java side: deterministic)
            double mean = 0;
            for (float x : scores) mean += x;
            mean /= bsz;
            double var = 0;
            for (float x : scores) var += (x - mean) * (x - mean);
            Map<String, Object> head = new LinkedHashMap<>();
            head.put("reward", mean);
            for (int k = 0; k < kTerms; k++) {
                double tm = 0;
                for (float x : termVals[k]) tm += x;
                head.put("reward/" + termNames.get(k), tm / bsz);
            }
            head.put("reward_errors", rewardErrors);
            head.put("score_std", Math.sqrt(var / bsz));
            if (plan.correctness() != null) {
                int c = 0;
                for (Sample smp : samples) if (plan.correctness().correct(smp)) c++;
                head.put("accuracy", c / (double) bsz);
            }
            double lsum = 0;
            double lmax = 0;
            double tr = 0;
            for (int i = 0; i < bsz; i++) {
                lsum += lens[i];
                lmax = Math.max(lmax, lens[i]);
                tr += trunc[i];
            }
            head.put("length_mean", lsum / bsz);
            head.put("length_max", lmax);
            head.put("truncation_rate", tr / bsz);
            head.put("filtered_groups", filtered);
            head.put("rollouts", rounds);
            Map<String, Object> line = new LinkedHashMap<>();
            for (var e : m.entrySet()) {
                line.put(e.getKey(), e.getValue());
                if (e.getKey().equals("time_ms_update")) line.putAll(head);
            }
            m = line;

            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < Math.min(plan.samplesPerStep(), bsz); i++) {
                Map<String, Object> o = new LinkedHashMap<>();
                Sample smp = samples.get(i);
                o.put("step", s);
                o.put("prompt", smp.prompt());
                o.put("completion", smp.completion());
                o.put("score", (double) scores[i]);
                Map<String, Object> tv = new LinkedHashMap<>();
                for (int k = 0; k < kTerms; k++) tv.put(termNames.get(k), (double) termVals[k][i]);
                o.put("terms", tv);
                if (errs[i] > 0) o.put("reward_errors", errs[i]);
                o.put("length", smp.length());
                o.put("finish_reason", smp.finishReason());
                out.add(o);
            }
            folder.appendSamples(out);
        }
        if (plan.eval() != null && ((plan.eval().every() > 0 && s % plan.eval().every() == 0) || s == plan.steps())) {
            long te = System.nanoTime();
            double acc = evaluate(s);
            m.put("eval_accuracy", acc);
            m.put("time_ms_eval", (System.nanoTime() - te) / 1e6);
            recordEval(s, acc);
        }
        m.put("time_ms_total", (System.nanoTime() - tStart) / 1e6);
        folder.appendMetrics(m);
        return new StepMetrics(s, m);
    }

    private Tensor advantages(CreditFunction.Credit credit, int bsz, int tmax, Tensor mask, int s) {
        Tensor a = credit.advantages();
        if (a == null) throw new IllegalArgumentException("credit: no advantages returned");
        long[] sh = a.shape();
        Tensor adv;
        if (sh.length == 1 && sh[0] == bsz) {
            adv = a.toType(dev.rlx.engine.tensor.DType.FLOAT32).reshape(bsz, 1).mul(mask);
        } else if (sh.length == 2 && sh[0] == bsz && sh[1] == tmax) {
            adv = a.toType(dev.rlx.engine.tensor.DType.FLOAT32).mul(mask);
        } else {
            throw new IllegalArgumentException("credit: advantages have shape " + Arrays.toString(sh)
                    + ", expected [" + bsz + "] or [" + bsz + ", " + tmax + "] (B = prompts x group, T = longest completion)");
        }
        double total = adv.abs().sum().item();
        if (!Double.isFinite(total)) {
            throw new RlDivergedException(s, "advantages", total, lastCheckpoint);
        }
        return adv;
    }

    private static void requireShape(String what, Tensor t, int b, int tm) {
        long[] sh = t.shape();
        if (sh.length != 2 || sh[0] != b || sh[1] != tm) {
            throw new IllegalArgumentException(what + ": shape " + Arrays.toString(sh) + ", expected [" + b + ", " + tm + "]");
        }
    }

    private void update(int s, Batch full, ScoreBatch sb, List<int[]> promptIds, int[][] resp, Map<String, Object> m) {
        int bsz = full.size();
        int mbSize = plan.minibatch() <= 0 || plan.minibatch() >= bsz ? bsz : plan.minibatch();
        boolean single = plan.epochs() == 1 && mbSize == bsz;
        if (!single) full.oldLogp(); // materialize before minibatches gather it
        double lr = schedule.lr(s - 1);
        double temp = plan.rollout().temperature();
        Map<String, Double> diag = new TreeMap<>();
        double lossSum = 0;
        double gnSum = 0;
        double vlSum = 0;
        double vgnSum = 0;
        int updates = 0;
        double entSum = 0;
        double klSum = 0;
        double tokens = 0;
        for (int e = 0; e < plan.epochs(); e++) {
            int[] order = single ? identity(bsz) : permutation(bsz, new SplittableRandom(mix(plan.seed(), s, 1000 + e)));
            for (int from = 0; from < bsz; from += mbSize) {
                int[] idx = Arrays.copyOfRange(order, from, Math.min(bsz, from + mbSize));
                try (TensorScope mb = TensorScope.open()) {
                    Batch part;
                    ScoreBatch sbm;
                    if (single) {
                        part = full;
                        sbm = sb;
                    } else {
                        long[] li = new long[idx.length];
                        List<int[]> pp = new ArrayList<>();
                        int[][] rr = new int[idx.length][];
                        for (int i = 0; i < idx.length; i++) {
                            li[i] = idx[i];
                            pp.add(promptIds.get(idx[i]));
                            rr[i] = resp[idx[i]];
                        }
                        part = full.rows(idx, Tensors.fromLongs(li, idx.length));
                        // rows padded to the batch's T so the gathered [B,T] fields line up
                        int tmax = (int) full.mask().shape()[1];
                        byte[][] mk = new byte[rr.length][tmax];
                        int[][] padded = new int[rr.length][tmax];
                        for (int i = 0; i < rr.length; i++) {
                            Arrays.fill(padded[i], pad);
                            System.arraycopy(rr[i], 0, padded[i], 0, rr[i].length);
                            Arrays.fill(mk[i], 0, rr[i].length, (byte) 1);
                        }
                        sbm = ScoreBatch.of(mb.manager(), pp, padded, mk, pad, policy.dataType());
                    }
                    double lossValue;
                    try (GradientRecording rec = Tensors.recordGradients()) {
                        Scorer.TokenStats st = Scorer.stats(policy, sbm, temp, true, true);
                        Tensor lp = Tensors.wrap(st.logprobs());
                        Tensor ent = Tensors.wrap(st.entropy());
                        Batch withLp = part.with("logp", lp).with("entropy", ent);
                        if (single && !full.hasOldLogp()) withLp = withLp.with("old_logp", lp.stopGradient());
                        LossFunction.Loss loss = plan.loss().compute(withLp);
                        lossValue = loss.value().item();
                        if (!Double.isFinite(lossValue)) throw new RlDivergedException(s, "loss", lossValue, lastCheckpoint);
                        rec.backward(loss.value());
                        for (var d : loss.diagnostics().entrySet()) diag.merge(d.getKey(), d.getValue(), Double::sum);
                        if (e == 0) {
                            Tensor pm = part.mask();
                            tokens += pm.sum().item();
                            entSum += ent.stopGradient().mul(pm).sum().item();
                            if (part.refLogp() != null) {
                                Tensor d = part.refLogp().sub(lp.stopGradient());
                                klSum += d.exp().sub(d).sub(1.0).mul(pm).sum().item();
                            }
                        }
                    }
                    double gn = opt.step(lr);
                    if (plan.optimizer().clipGrad() > 0 && !Double.isFinite(gn)) {
                        throw new RlDivergedException(s, "grad_norm", gn, lastCheckpoint);
                    }
                    lossSum += lossValue;
                    gnSum += gn;
                    if (critic != null) {
                        double vl;
                        try (GradientRecording rec = Tensors.recordGradients()) {
                            Tensor v = Tensors.wrap(critic.values(sbm));
                            LossFunction.Loss loss = plan.critic().valueLoss().compute(part.with("values", v));
                            vl = loss.value().item();
                            if (!Double.isFinite(vl)) throw new RlDivergedException(s, "value_loss", vl, lastCheckpoint);
                            rec.backward(loss.value());
                            for (var d : loss.diagnostics().entrySet()) diag.merge(d.getKey(), d.getValue(), Double::sum);
                        }
                        vlSum += vl;
                        vgnSum += criticOpt.step(criticSchedule.lr(s - 1));
                    }
                    updates++;
                }
            }
        }
        if (reference != null) m.put("kl", klSum / Math.max(1, tokens));
        m.put("entropy", entSum / Math.max(1, tokens));
        m.put("loss", lossSum / updates);
        for (var d : diag.entrySet()) m.put(d.getKey(), d.getValue() / updates);
        m.put("grad_norm", gnSum / updates);
        m.put("lr", lr);
        if (critic != null) {
            m.put("value_loss", vlSum / updates);
            m.put("value_grad_norm", vgnSum / updates);
        }
    }

    // ---------------------------------------------------------------- data order, seeds

    private int nextIndex() {
        int n = plan.data().size();
        long epoch = cursor / n;
        if (epoch != permEpoch) {
            perm = permutation(n, new SplittableRandom(mix(plan.seed(), epoch, 0xDA7A)));
            permEpoch = epoch;
        }
        return perm[(int) (cursor++ % n)];
    }

    static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] a = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static <T> T noGrad(java.util.function.Supplier<T> f) {
        boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try {
            return f.get();
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
        }
    }

    // ---------------------------------------------------------------- eval and checkpoints

    private double evaluate(int s) {
        RlPlan.Eval ev = plan.eval();
        int n = ev.limit() > 0 ? Math.min(ev.limit(), ev.data().size()) : ev.data().size();
        int correct = 0;
        for (int from = 0; from < n; from += 64) {
            List<PromptSource.Prompt> ps = new ArrayList<>();
            List<int[]> ids = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 64); i++) {
                PromptSource.Prompt p = ev.data().get(i);
                ps.add(p);
                ids.add(plan.tokenizer().encodeWithBos(p.text()));
            }
            RlPlan.Rollout ro = plan.rollout();
            Generation gen = KvCacheSampler.generate(policy, plan.tokenizer(), ids, SamplingParams.builder()
                    .maxTokens(ro.maxTokens()).greedy(ev.greedy()).temperature(ro.temperature()).topK(ro.topK())
                    .topP(ro.topP()).stopStrings(ro.stop()).seed(mix(plan.seed(), s, -1)).build());
            for (int r = 0; r < gen.batchSize(); r++) {
                PromptSource.Prompt p = ps.get(r);
                Sample smp = new Sample(p.text(), gen.texts()[r], gen.response(r), gen.lengths()[r],
                        gen.finishReasons()[r], p.answer(), p.fields(), r);
                if (ev.correct().correct(smp)) correct++;
            }
        }
        return correct / (double) n;
    }

    private void recordEval(int s, double acc) {
        lastAccuracy = acc;
        if (bestStep < 0 || acc > bestAccuracy) {
            bestAccuracy = acc;
            bestStep = s;
        }
        listener.onEval(s, acc);
    }

    private void checkpoint() {
        JsonObject st = new JsonObject();
        st.addProperty("step", step);
        st.addProperty("cursor", cursor);
        st.addProperty("seed", plan.seed());
        st.addProperty("start_accuracy", startAccuracy);
        st.addProperty("last_accuracy", lastAccuracy);
        st.addProperty("best_step", bestStep);
        st.addProperty("best_accuracy", bestAccuracy);
        lastCheckpoint = folder.writeCheckpoint(step, st, dir -> {
            HfModels.save(policy, dir.resolve("policy"));
            // the tokenizer travels with the weights, so load_model(".../step-N/policy") needs nothing else
            plan.tokenizer().save(dir.resolve("policy"));
            opt.saveState(dir.resolve("optimizer.safetensors"));
            if (critic != null) {
                HfModels.save(criticBackbone, dir.resolve("critic"));
                SafeTensors.write(dir.resolve("critic_head.safetensors"), critic.parameters(), Map.of());
                criticOpt.saveState(dir.resolve("critic_optimizer.safetensors"));
            }
        });
        folder.prune(plan.keepLast());
        listener.onCheckpoint(step, lastCheckpoint);
    }
}
