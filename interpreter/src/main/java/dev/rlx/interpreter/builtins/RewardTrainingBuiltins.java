package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.data.JsonlData;
import dev.rlx.engine.data.Row;
import dev.rlx.engine.data.TokenPair;
import dev.rlx.engine.reward.RewardModel;
import dev.rlx.engine.reward.RewardModelTrainer;
import dev.rlx.engine.reward.RewardTrainingConfig;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.model.RewardModelValue;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code train_reward_model}: Bradley-Terry training of a copy of a reward model on preference pairs, from a list
 * of records or a dataset whose rows carry {@code chosen} and {@code rejected}. Pairs are encoded as
 * {@code score} encodes its inputs ({@link RewardInputs}), so a trained model scores what it was trained on.
 */
public final class RewardTrainingBuiltins {
    private RewardTrainingBuiltins() {}

    @Builtin(value = "train_reward_model(rm, data, steps = 100, lr = 1e-5, batch = 16, warmup = 0, "
            + "schedule = \"cosine\", min_lr_ratio = 0.1, weight_decay = 0.0, clip_grad = 1.0, seed = 0)",
            doc = "a trained copy of rm: Bradley-Terry loss -log sigmoid(s_chosen - s_rejected - margin) on data, a list "
                    + "of records {prompt, chosen, rejected} (margin optional; strings, numbers or token lists) or a "
                    + "dataset with chosen and rejected fields; AdamW, warmup then \"cosine\", \"linear\" or \"constant\"; "
                    + "the copy's .losses and .accuracies (pair accuracy) hold every step's values")
    public abstract static class TrainRewardModel extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object train(Object rm, Object data, Object steps, Object lr, Object batch, Object warmup,
                               Object schedule, Object minLrRatio, Object weightDecay, Object clipGrad, Object seed) {
            EngineArgs a = EngineArgs.of(this, rm, data, steps, lr, batch, warmup, schedule, minLrRatio, weightDecay,
                    clipGrad, seed);
            RewardModelValue r = a.rewardModel("rm");
            String dtype = r.model().backbone().compute().dtype();
            if (!r.model().backbone().compute().isFloat32()) {
                throw error("train_reward_model needs a float32 reward model, this one is " + dtype + ": training in "
                        + "half precision is not supported yet (no fp32 master weights); build or load its backbone "
                        + "with dtype: \"float32\"");
            }
            RewardInputs in = new RewardInputs(this, r);
            List<TokenPair> pairs = pairs(a, in);
            RewardTrainingConfig cfg = a.engine(() -> RewardTrainingConfig.builder().steps(a.integer("steps"))
                    .lr(a.number("lr")).batch(a.integer("batch")).warmupSteps(a.integer("warmup"))
                    .schedule(a.string("schedule")).minLrRatio(a.number("min_lr_ratio"))
                    .weightDecay(a.number("weight_decay")).clipGrad(a.number("clip_grad")).seed(a.longValue("seed"))
                    .build());
            double[] losses = new double[cfg.steps()];
            double[] accuracies = new double[cfg.steps()];
            BuiltinProgress progress = BuiltinProgress.of(this, "train_reward_model", cfg.steps());
            RewardModel trained;
            try {
                trained = a.engine(() -> RewardModelTrainer.train(r.model(), pairs, cfg, in.pad(), s -> {
                    losses[s.step()] = s.loss();
                    accuracies[s.step()] = s.accuracy();
                    progress.step(s.step() + 1, "loss %.4f  acc %.3f", s.loss(), s.accuracy());
                }));
            } finally {
                progress.end();
            }
            return r.withModel(trained, losses, accuracies);
        }

        private List<TokenPair> pairs(EngineArgs a, RewardInputs in) {
            List<TokenPair> out = new ArrayList<>();
            Object data = a.raw("data");
            if (data instanceof RlxList list && list.size() > 0) {
                for (int i = 0; i < list.size(); i++) {
                    String what = "data[" + i + "]";
                    if (!(list.get(i) instanceof RlxRecord rec)) {
                        throw error(what + " is " + EngineArgs.show(list.get(i))
                                + ", not a {prompt, chosen, rejected} record");
                    }
                    out.add(pair(in, what, rec.get("prompt"), rec.get("chosen"), rec.get("rejected"),
                            rec.get("margin"), rec.shape().keys()));
                }
            } else if (data instanceof DatasetValue dv && dv.dataset().size() > 0) {
                Dataset d = dv.dataset();
                for (int i = 0; i < d.size(); i++) {
                    Row row = d.get(i);
                    List<String> keys = new ArrayList<>(List.of("prompt"));
                    keys.addAll(row.fields().keySet());
                    out.add(pair(in, "data[" + i + "] (" + d.name() + ")", row.prompt(), row.fields().get("chosen"),
                            row.fields().get("rejected"), row.fields().get("margin"), keys));
                }
            } else {
                throw a.wrongType("data", "a non-empty list of {prompt, chosen, rejected} records or a dataset of pairs");
            }
            return out;
        }

        private TokenPair pair(RewardInputs in, String what, Object prompt, Object chosen,
                                             Object rejected, Object margin, List<String> keys) {
            if (prompt == null || chosen == null || rejected == null) {
                throw error(what + " needs the fields prompt, chosen and rejected; it has " + keys);
            }
            int[] p = in.prompt(prompt, what + ".prompt");
            int[] c = in.completion(chosen, what + ".chosen");
            int[] r = in.completion(rejected, what + ".rejected");
            in.fits(p, c, what, "prompt + chosen");
            in.fits(p, r, what, "prompt + rejected");
            if (c.length == 0 || r.length == 0) {
                throw error(what + " has an empty " + (c.length == 0 ? "chosen" : "rejected") + " completion");
            }
            double m = 0.0;
            if (margin instanceof Long l) {
                m = l;
            } else if (margin instanceof Double x && Double.isFinite(x)) {
                m = x;
            } else if (margin != null && margin != RlxNone.INSTANCE && margin != JsonlData.NULL) {
                throw error(what + ".margin must be a finite number, not " + EngineArgs.show(margin));
            }
            return new TokenPair(p, c, r, m);
        }
    }
}
