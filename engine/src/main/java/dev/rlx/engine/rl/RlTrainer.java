package dev.rlx.engine.rl;

import ai.djl.Device;
import com.google.gson.JsonObject;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.run.RunFolder;
import dev.rlx.engine.tensor.TensorScope;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The RL loop: it wires the stages of one step and carries what lasts across steps (models and optimizers,
 * the data cursor, the carried state, eval bookkeeping, checkpoints).
 *
 * <pre>
 * rollout   RolloutStage     prompts -> group completions -> reward terms; dynamic sampling; greedy baseline
 * batch     BatchAssembly    scores, rewards, terms, mask, lengths, truncated, baseline_scores, state
 * scoring   ScoringStage     ref_logp (with a reference), values/old_values (with a critic), old_logp (lazy)
 * prm       PrmStage         PRIME: update the implicit PRM on the step first, then process_rewards, outcomes
 * credit    CreditStage      advantages, returns, the next state
 * update    UpdateStage      epochs x minibatches: logp, entropy -> loss -> AdamW; the critic's value loss
 * log       StepLog, Evaluator   metrics.jsonl, samples.jsonl, eval accuracy; then a checkpoint when due
 * </pre>
 * Every tensor of a step lives in one {@link TensorScope} closed at the end of the step, so memory stays flat.
 *
 * <p>Determinism: all randomness derives from (seed, step, round): the data order ({@link PromptOrder}) and
 * prompt selection ({@link PromptSelector}, whose success estimates and replay buffer are checkpointed),
 * sampling noise, minibatch shuffles. With the checkpointed weights, optimizer moments, cursor and carried
 * state, {@link #resume} continues bit for bit (same machine and thread count). Dynamic sampling filters before
 * old log-probs and credit are computed.
 */
public final class RlTrainer {
    private final RlPlan plan;
    private final RunFolder folder;
    private final RunListener listener;
    private final RunModels models;
    private final PromptOrder order;
    private final PromptSelector selector;
    private final RolloutStage rollout;
    private final ScoringStage scoring;
    private final PrmStage prm;
    private final CreditStage credit;
    private final UpdateStage update;
    private final Evaluator evaluator;
    private Map<String, Object> state;
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
    public static Result run(RlPlan plan, RunListener listener) {
        return new RlTrainer(plan, RunFolder.startNew(plan.runDir()), listener, null).train();
    }

    /**
     * Continues the run in {@code runDir} from its newest complete checkpoint (a fresh start when there is
     * none): metrics and samples lines after that step are dropped and the same plan must be given.
     */
    public static Result resume(RlPlan plan, Path runDir, RunListener listener) {
        RlPlan p = plan.runDir().equals(runDir) ? plan : withRunDir(plan, runDir);
        RunFolder f = new RunFolder(runDir);
        return new RlTrainer(p, f, listener, f.prepareResume(listener == null ? m -> { } : listener::onNotice)).train();
    }

    private static RlPlan withRunDir(RlPlan p, Path dir) {
        return new RlPlan(p.policy(), p.tokenizer(), p.data(), p.rollout(), p.rewards(), p.credit(), p.loss(),
                p.optimizer(), p.steps(), p.batch(), p.epochs(), p.minibatch(), p.reference(), p.critic(), p.prm(),
                p.dynamicSampling(), p.selection(), p.pruneKeep(), p.sharedPrompts(), p.eval(), p.correctness(), p.checkpointEvery(), p.keepLast(), p.samplesPerStep(),
                p.seed(), dir, p.initialState());
    }

    private RlTrainer(RlPlan plan, RunFolder folder, RunListener listener, Path checkpoint) {
        this.plan = plan;
        this.folder = folder;
        this.listener = listener == null ? RunListener.NONE : listener;
        int pad = plan.tokenizer().padId() >= 0 ? plan.tokenizer().padId() : 0;
        this.models = new RunModels(plan, checkpoint);
        long cursor = 0;
        JsonObject selection = null;
        this.state = plan.initialState();
        if (checkpoint != null) {
            JsonObject s = RunFolder.readState(checkpoint).orElseThrow();
            if (s.get("seed").getAsLong() != plan.seed()) {
                models.close();
                throw new IllegalArgumentException("resume: the run used seed " + s.get("seed") + ", the plan has " + plan.seed());
            }
            step = s.get("step").getAsInt();
            cursor = s.get("cursor").getAsLong();
            evals.restore(s);
            if (s.has("carried_state") && s.get("carried_state").isJsonObject()) {
                state = CarriedState.fromJson(s.getAsJsonObject("carried_state"));
            }
            if (s.has("reward_state") && s.get("reward_state").isJsonObject()) {
                plan.rewards().restoreState(CarriedState.fromJson(s.getAsJsonObject("reward_state")));
            }
            if (s.has("selection") && s.get("selection").isJsonObject()) selection = s.getAsJsonObject("selection");
            lastCheckpoint = checkpoint;
        }
        this.order = new PromptOrder(plan.data(), plan.seed(), cursor);
        this.selector = new PromptSelector(plan.selection(), plan.data(), order, plan.seed());
        if (selection != null) selector.restore(selection);
        this.rollout = new RolloutStage(plan, selector);
        this.scoring = new ScoringStage(models, plan.rollout().temperature());
        this.prm = plan.prm() == null ? null : new PrmStage(plan, models);
        this.credit = new CreditStage(plan);
        this.update = new UpdateStage(plan, models, pad);
        this.evaluator = new Evaluator(plan);
    }

    private Result train() {
        long t0 = System.nanoTime();
        boolean cancelled = false;
        boolean ok = false;
        try {
            if (step == 0 && plan.eval() != null) {
                recordEval(0, evaluator.accuracy(models.policy, 0));
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
            return new Result(summary, models.policy);
        } finally {
            folder.close();
            models.close(ok);
        }
    }

    /** One step through the stages; returns its metrics line (also appended to metrics.jsonl). */
    private StepMetrics runStep(int s) {
        long start = System.nanoTime();
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> times = new LinkedHashMap<>();
        m.put("step", s);
        Device device = models.policy.manager().getDevice();
        try (TensorScope scope = TensorScope.open(device)) {
            RolloutStage.Result r = rollout.run(models.policy, s);
            times.put("time_ms_rollout", r.samplingNanos() / 1e6);
            times.put("time_ms_reward", r.rewardNanos() / 1e6);
            long modelNanos = plan.rewards().takeModelNanos();
            if (modelNanos >= 0) times.put("time_ms_reward_model", modelNanos / 1e6);
            if (plan.rollout().baseline() != RlPlan.Baseline.NONE) times.put("time_ms_baseline", r.baselineNanos() / 1e6);

            long t = System.nanoTime();
            int pad = plan.tokenizer().padId() >= 0 ? plan.tokenizer().padId() : 0;
            BatchAssembly.StepBatch sb = BatchAssembly.assemble(r, plan.rollout().group(), pad, models.policy.dataType(),
                    scope.manager(), state, plan.sharedPrompts());
            times.put("time_ms_batch", (System.nanoTime() - t) / 1e6);
            StepDevices.check("batch", sb.batch(), scope, device);
            Batch scored = scoring.score(sb, scope, times);
            StepDevices.check("scoring", scored, scope, device);
            if (prm != null) {
                t = System.nanoTime();
                scored = prm.run(s, sb, scored, scope, lastCheckpoint, m);
                times.put("time_ms_prm", (System.nanoTime() - t) / 1e6);
                StepDevices.check("prm", scored, scope, device);
            }

            t = System.nanoTime();
            CreditStage.Result c = credit.apply(scored, s, lastCheckpoint);
            times.put("time_ms_credit", (System.nanoTime() - t) / 1e6);
            StepDevices.check("credit", c.batch(), scope, device);

            t = System.nanoTime();
            update.run(s, sb, c.batch(), lastCheckpoint, m);
            times.put("time_ms_update", (System.nanoTime() - t) / 1e6);

            StepLog.rolloutStatistics(plan, r, sb, m);
            selector.log(m);
            state = c.state();
            StepLog.state(state, m);
            folder.appendSamples(StepLog.samples(s, plan.samplesPerStep(), sb));
        }
        if (plan.eval() != null && ((plan.eval().every() > 0 && s % plan.eval().every() == 0) || s == plan.steps())) {
            long te = System.nanoTime();
            double acc = evaluator.accuracy(models.policy, s);
            m.put("eval_accuracy", acc);
            times.put("time_ms_eval", (System.nanoTime() - te) / 1e6);
            recordEval(s, acc);
        }
        m.put("time_ms_total", (System.nanoTime() - start) / 1e6);
        m.putAll(times);
        folder.appendMetrics(m);
        return new StepMetrics(s, m);
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
        JsonObject selection = selector.save();
        if (selection != null) st.add("selection", selection);
        if (state != null) st.add("carried_state", CarriedState.toJson(state));
        Map<String, Object> rewardState = plan.rewards().state();
        if (rewardState != null) st.add("reward_state", CarriedState.toJson(rewardState));
        lastCheckpoint = folder.writeCheckpoint(step, st, dir -> {
            models.save(dir);
            // the tokenizer travels with the weights, so load_model(".../step-N/policy") needs nothing else
            plan.tokenizer().save(dir.resolve("policy"));
        });
        folder.prune(plan.keepLast());
        listener.onCheckpoint(step, lastCheckpoint);
    }
}
