package dev.rlx.engine.reward;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.rlx.engine.data.Shuffle;
import dev.rlx.engine.data.TokenPair;
import dev.rlx.engine.tensor.HostArrays;
import dev.rlx.engine.train.AdamW;
import dev.rlx.engine.train.LrSchedule;
import dev.rlx.engine.train.ScoreBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a copy of a reward model on preference pairs (the input is left untouched: values stay immutable) with
 * the Bradley-Terry loss {@code -log sigmoid(s_chosen - s_rejected - margin)}, averaged over the pairs of a
 * batch (shared/REFERENCE.md, "Reward models"). Pairs are drawn in a seeded order, reshuffled at each pass over
 * the data; every step's tensors live in a step manager closed at the end of the step.
 */
public final class RewardModelTrainer {
    private RewardModelTrainer() {}

    /**
     * What a listener sees after each step: the loss, the pair accuracy {@code mean(s_c > s_r)} of the step's batch
     * (before the update), the learning rate and the gradient norm before clipping.
     */
    public record StepInfo(int step, int steps, double loss, double accuracy, double lr, double gradNorm) {}

    @FunctionalInterface
    public interface Listener {
        void onStep(StepInfo info);
    }

    /**
     * The trained copy. {@code pad} fills the padding positions (masked out of attention, so any id in the
     * vocabulary will do).
     */
    public static RewardModel train(RewardModel rm, List<TokenPair> pairs, RewardTrainingConfig cfg, int pad,
                                    Listener listener) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no preference pairs to train on");
        }
        RewardModel student = rm.copy();
        try {
            student.setTrainable(true);
            try (AdamW opt = new AdamW(student.parameters(), student.backbone().manager(), cfg.beta1(), cfg.beta2(),
                    cfg.eps(), cfg.weightDecay(), cfg.clipGrad())) {
                LrSchedule schedule = cfg.lrSchedule();
                PairOrder order = new PairOrder(pairs.size(), cfg.seed());
                for (int step = 0; step < cfg.steps(); step++) {
                    List<TokenPair> batch = new ArrayList<>(cfg.batch());
                    for (int i = 0; i < cfg.batch(); i++) {
                        batch.add(pairs.get(order.next()));
                    }
                    double lr = schedule.lr(step);
                    double[] lossAndAccuracy;
                    double norm;
                    try (NDManager sm = student.backbone().manager().newSubManager();
                         GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray[] chosenRejected = scorePairs(student, sm, batch, pad);
                        NDArray margins = HostArrays.of(sm, margins(batch), new Shape(batch.size()));
                        NDArray loss = bradleyTerry(chosenRejected[0], chosenRejected[1], margins);
                        gc.backward(loss);
                        lossAndAccuracy = new double[] {loss.getFloat(),
                                accuracy(chosenRejected[0].toFloatArray(), chosenRejected[1].toFloatArray())};
                        norm = opt.step(lr);
                    }
                    if (listener != null) {
                        listener.onStep(new StepInfo(step, cfg.steps(), lossAndAccuracy[0], lossAndAccuracy[1], lr,
                                norm));
                    }
                }
            }
            student.setTrainable(false);
            return student;
        } catch (RuntimeException | Error e) {
            student.close();
            throw e;
        }
    }

    /**
     * The mean Bradley-Terry loss of a batch of pair scores [B]: {@code -log sigmoid(d) = softplus(-d)} with
     * {@code d = chosen - rejected - margin}. libtorch's softplus is exact for large |d| (no exp overflow, no
     * log(0)), and no op here keeps a number operand for the backward pass (see model/Scalars for why that matters).
     */
    public static NDArray bradleyTerry(NDArray chosen, NDArray rejected, NDArray margin) {
        NDArray d = chosen.sub(rejected).sub(margin);
        return d.neg().getNDArrayInternal().softPlus().mean();
    }

    /** Scores [B] of the chosen and [B] of the rejected completions from ONE forward over the 2B rows. */
    static NDArray[] scorePairs(RewardModel rm, NDManager m, List<TokenPair> batch, int pad) {
        int b = batch.size();
        List<int[]> prompts = new ArrayList<>(2 * b);
        int[][] completions = new int[2 * b][];
        for (int i = 0; i < b; i++) {
            TokenPair p = batch.get(i);
            prompts.add(p.prompt());
            completions[i] = p.chosen();
        }
        for (int i = 0; i < b; i++) {
            TokenPair p = batch.get(i);
            prompts.add(p.prompt());
            completions[b + i] = p.rejected();
        }
        ScoreBatch sb = ScoreBatch.of(m, prompts, completions, null, pad, rm.backbone().dataType());
        NDArray s = rm.scores(sb);
        return new NDArray[] {s.get(new NDIndex("0:{}", b)), s.get(new NDIndex("{}:", b))};
    }

    private static float[] margins(List<TokenPair> batch) {
        float[] out = new float[batch.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) batch.get(i).margin();
        }
        return out;
    }

    /** The fraction of pairs whose chosen completion scores strictly higher (a tie counts as wrong). */
    static double accuracy(float[] chosen, float[] rejected) {
        int right = 0;
        for (int i = 0; i < chosen.length; i++) {
            right += chosen[i] > rejected[i] ? 1 : 0;
        }
        return right / (double) chosen.length;
    }

    /** Indices of the pairs in a seeded order, a fresh permutation at each pass, as SFT draws its examples. */
    private static final class PairOrder {
        private final SplittableRandom rng;
        private final int n;
        private int[] order;
        private int cursor;

        PairOrder(int n, long seed) {
            this.n = n;
            this.rng = new SplittableRandom(seed);
            this.order = Shuffle.permutation(n, rng);
        }

        int next() {
            if (cursor == order.length) {
                order = Shuffle.permutation(n, rng);
                cursor = 0;
            }
            return order[cursor++];
        }
    }
}
