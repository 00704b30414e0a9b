package dev.rlx.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.rlx.engine.data.Shuffle;
import dev.rlx.engine.model.CausalLM;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Supervised fine-tuning: trains a copy of the model (the input is left untouched, values stay immutable) on
 * prompt/response pairs with cross-entropy over response tokens only. Batches are drawn with a seeded
 * shuffle; every step's tensors live in a step manager that is closed at the end of the step.
 */
public final class SftTrainer {
    private SftTrainer() {}

    /** One training pair; the loss covers {@code response} only. */
    public record Example(int[] prompt, int[] response) {}

    /** What a listener sees after each step; {@code model} is the model being trained (do not close it). */
    public record StepInfo(int step, double loss, double lr, double gradNorm, CausalLM model) {}

    /** Called after every step (metrics, checkpoints, memory checks). */
    @FunctionalInterface
    public interface Listener {
        void onStep(StepInfo info);
    }

    public static CausalLM train(CausalLM model, List<Example> data, SftConfig cfg, int pad, Listener listener) {
        if (data.isEmpty()) {
            throw new IllegalArgumentException("sft: no training data");
        }
        CausalLM student = model.copy();
        student.setTrainable(true);
        try (AdamW opt = new AdamW(student.parameters(), student.manager(), cfg.beta1(), cfg.beta2(), cfg.eps(),
                cfg.weightDecay(), cfg.clipGrad())) {
            LrSchedule schedule = cfg.lrSchedule();
            SplittableRandom rng = new SplittableRandom(cfg.seed());
            int[] order = Shuffle.permutation(data.size(), rng);
            int cursor = 0;
            for (int step = 0; step < cfg.steps(); step++) {
                List<int[]> prompts = new ArrayList<>();
                int[][] responses = new int[cfg.batch()][];
                for (int i = 0; i < cfg.batch(); i++) {
                    if (cursor == order.length) {
                        order = Shuffle.permutation(data.size(), rng);
                        cursor = 0;
                    }
                    Example e = data.get(order[cursor++]);
                    prompts.add(e.prompt());
                    responses[i] = e.response();
                }
                double lr = schedule.lr(step);
                double loss;
                double norm;
                try (NDManager sm = student.manager().newSubManager();
                     GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    ScoreBatch batch = ScoreBatch.of(sm, prompts, responses, null, pad, student.dataType());
                    NDArray lp = Scorer.logProbs(student, batch, 1.0, true);
                    NDArray l = lp.sum().neg().div(batch.mask().sum());
                    gc.backward(l);
                    loss = l.getFloat();
                    norm = opt.step(lr);
                }
                if (listener != null) {
                    listener.onStep(new StepInfo(step, loss, lr, norm, student));
                }
            }
        }
        student.setTrainable(false);
        return student;
    }
}
