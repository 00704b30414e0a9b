package dev.rlx.engine.pref;

import com.google.gson.JsonObject;
import dev.rlx.engine.data.DataOrder;
import dev.rlx.engine.data.PreferenceExample;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.rl.EvalHistory;
import dev.rlx.engine.rl.Evaluator;
import dev.rlx.engine.rl.LossFunction;
import dev.rlx.engine.rl.RlDivergedException;
import dev.rlx.engine.rl.RunListener;
import dev.rlx.engine.rl.RunSummary;
import dev.rlx.engine.rl.StepMetrics;
import dev.rlx.engine.run.RunFolder;
import dev.rlx.engine.tensor.GradientRecording;
import dev.rlx.engine.tensor.TensorScope;
import dev.rlx.engine.tensor.Tensors;
import dev.rlx.engine.train.AdamW;
import dev.rlx.engine.train.LrSchedule;
import dev.rlx.engine.weights.HfModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The offline preference loop (DPO and its family): no sampler in the loop. Each step draws {@code batch} pairs
 * (or labeled completions) in the seeded data order, scores their rows with the policy (gradients) and the
 * reference (when the plan keeps one) in one forward each (and, when the loss reads them, under the plan's
 * contrastive prompts without gradient), calls the loss, and takes an AdamW step;
 * metrics.jsonl gets the loss, its diagnostics, grad norm and lr. Run folder, checkpoints and resume work as for RL runs: a checkpoint holds
 * the policy, the optimizer moments and the data cursor, so {@link #resume} continues bit for bit.
 */
public final class PreferenceTrainer {
    private final PreferencePlan plan;
    private final RunFolder folder;
    private final RunListener listener;
    private final CausalLM policy;
    private final CausalLM reference;
    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final DataOrder order;
    private final Evaluator evaluator;
    private final int pad;
    private int step;
    private final EvalHistory evals = new EvalHistory();
    private Path lastCheckpoint;

    /** The trained policy (owned by the caller: close it) and the summary. */
    public record Result(RunSummary summary, CausalLM policy) implements AutoCloseable {
        @Override
        public void close() {
            policy.close();
        }
    }

    /** Starts a new run in {@code plan.runDir()}; fails if that folder already holds checkpoints (use resume). */
    public static Result run(PreferencePlan plan, RunListener listener) {
        return new PreferenceTrainer(plan, RunFolder.startNew(plan.runDir()), listener, null).train();
    }

    /** Continues the run in {@code runDir} from its newest complete checkpoint (a fresh start when there is none). */
    public static Result resume(PreferencePlan plan, Path runDir, RunListener listener) {
        PreferencePlan p = plan.runDir().equals(runDir) ? plan : plan.withRunDir(runDir);
        RunFolder f = new RunFolder(runDir);
        return new PreferenceTrainer(p, f, listener, f.prepareResume(listener == null ? m -> { } : listener::onNotice)).train();
    }

    private PreferenceTrainer(PreferencePlan plan, RunFolder folder, RunListener listener, Path checkpoint) {
        this.plan = plan;
        this.folder = folder;
        this.listener = listener == null ? RunListener.NONE : listener;
        this.pad = Math.max(0, plan.tokenizer().padId());
        long cursor = 0;
        JsonObject s = null;
        if (checkpoint != null) {
            s = RunFolder.readState(checkpoint).orElseThrow();
            if (s.get("seed").getAsLong() != plan.seed()) {
                folder.close();
                throw new IllegalArgumentException("resume: the run used seed " + s.get("seed") + ", the plan has " + plan.seed());
            }
        }
        policy = checkpoint == null ? plan.policy().copy()
                : HfModels.load(checkpoint.resolve("policy"), plan.policy().compute());
        policy.setTrainable(true);
        var o = plan.optimizer();
        optimizer = new AdamW(policy.parameters(), policy.manager(), o.beta1(), o.beta2(), o.eps(), o.weightDecay(),
                o.clipGrad());
        schedule = o.lrSchedule(plan.steps());
        reference = plan.reference() ? plan.policy().frozenCopy() : null;
        if (s != null) {
            optimizer.loadState(checkpoint.resolve("optimizer.safetensors"));
            step = s.get("step").getAsInt();
            cursor = s.get("cursor").getAsLong();
            evals.restore(s);
            lastCheckpoint = checkpoint;
        }
        order = new DataOrder(plan.examples().size(), plan.seed(), cursor);
        evaluator = plan.eval() == null ? null : new Evaluator(plan.eval(), plan.decoding(), plan.tokenizer(), plan.seed());
    }

    private Result train() {
        long t0 = System.nanoTime();
        boolean cancelled = false;
        boolean ok = false;
        try {
            if (step == 0 && evaluator != null) {
                recordEval(0, evaluator.accuracy(policy, 0));
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
            RunSummary summary = evals.summary(step, (System.nanoTime() - t0) / 1e9, cancelled, lastCheckpoint);
            listener.onEnd(summary);
            return new Result(summary, policy);
        } finally {
            folder.close();
            optimizer.close();
            if (reference != null) reference.close();
            if (ok) policy.setTrainable(false);
            else policy.close();
        }
    }

    private StepMetrics runStep(int s) {
        long start = System.nanoTime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", s);
        List<PreferenceExample> batch = new ArrayList<>(plan.batch());
        int[] drawn = new int[plan.batch()];
        for (int i = 0; i < plan.batch(); i++) {
            drawn[i] = order.next();
            batch.add(plan.examples().get(drawn[i]));
        }
        double lr = schedule.lr(s - 1);
        double lossValue;
        Map<String, Double> diagnostics;
        long tf;
        long tu;
        double gn;
        // the step's tensors live where the policy does (TensorScope.open(Device) is the one place deciding it)
        try (TensorScope scope = TensorScope.open(policy.manager().getDevice())) {
            try (GradientRecording rec = Tensors.recordGradients()) {
                long t = System.nanoTime();
                PreferenceBatch b = PairScoring.score(policy, reference, batch, contrastRows(drawn), pad, scope);
                LossFunction.Loss loss = plan.loss().compute(b);
                lossValue = loss.value().item();
                if (!Double.isFinite(lossValue)) throw new RlDivergedException(s, "loss", lossValue, lastCheckpoint);
                rec.backward(loss.value());
                tf = System.nanoTime() - t;
                diagnostics = loss.diagnostics();
            }
            // the optimizer step runs while the step's tensors are alive, as the RL update does: after the scope
            // closed, a resumed run read different gradients (LauncherIT caught a different grad_norm)
            tu = System.nanoTime();
            gn = optimizer.step(lr);
        }
        if (plan.optimizer().clipGrad() > 0 && !Double.isFinite(gn)) {
            throw new RlDivergedException(s, "grad_norm", gn, lastCheckpoint);
        }
        m.put("loss", lossValue);
        m.putAll(new TreeMap<>(diagnostics)); // sorted: a loss's diagnostics come as an unordered map
        m.put("grad_norm", gn);
        m.put("lr", lr);
        Map<String, Object> times = new LinkedHashMap<>();
        times.put("time_ms_forward_backward", tf / 1e6);
        times.put("time_ms_update", (System.nanoTime() - tu) / 1e6);
        if (evaluator != null && ((plan.eval().every() > 0 && s % plan.eval().every() == 0) || s == plan.steps())) {
            long te = System.nanoTime();
            double acc = evaluator.accuracy(policy, s);
            m.put("eval_accuracy", acc);
            times.put("time_ms_eval", (System.nanoTime() - te) / 1e6);
            recordEval(s, acc);
        }
        m.put("time_ms_total", (System.nanoTime() - start) / 1e6);
        m.putAll(times);
        folder.appendMetrics(m);
        return new StepMetrics(s, m);
    }

    /** The drawn examples' contrastive prompts and their scorer, or null when the plan has none. */
    private PairScoring.ContrastRows contrastRows(int[] drawn) {
        Contrast c = plan.contrast();
        if (c == null) return null;
        List<int[]> better = new ArrayList<>(drawn.length);
        List<int[]> worse = new ArrayList<>(drawn.length);
        for (int i : drawn) {
            better.add(c.better().get(i));
            worse.add(c.worse().get(i));
        }
        return new PairScoring.ContrastRows(better, worse, c.scorer() == Contrast.Scorer.POLICY ? policy : reference);
    }

    private void recordEval(int s, double acc) {
        evals.record(s, acc);
        listener.onEval(s, acc);
    }

    private void checkpoint() {
        JsonObject st = new JsonObject();
        st.addProperty("step", step);
        st.addProperty("cursor", order.cursor());
        st.addProperty("seed", plan.seed());
        evals.save(st);
        lastCheckpoint = folder.writeCheckpoint(step, st, dir -> {
            HfModels.save(policy, dir.resolve("policy"));
            optimizer.saveState(dir.resolve("optimizer.safetensors"));
            plan.tokenizer().save(dir.resolve("policy"));
        });
        folder.prune(plan.keepLast());
        listener.onCheckpoint(step, lastCheckpoint);
    }
}
