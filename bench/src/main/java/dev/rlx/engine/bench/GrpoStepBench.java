package dev.rlx.engine.bench;

import ai.djl.engine.Engine;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import dev.rlx.engine.rl.CreditFunction;
import dev.rlx.engine.rl.LossFunction;
import dev.rlx.engine.rl.PromptSource;
import dev.rlx.engine.rl.RewardEvaluator;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.engine.rl.RlTrainer;
import dev.rlx.engine.rl.RunListener;
import dev.rlx.engine.rl.StepMetrics;
import dev.rlx.engine.tensor.Groups;
import dev.rlx.engine.tensor.Masked;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tokenizer.VocabTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One GRPO step of the real trainer ({@link RlTrainer}), mirrored by bench/torch_grpo_step.py: the GPT of
 * STACK.md (4 layers, dim 128, 4 heads, vocab 64, context 32), 16 prompts of 8 characters x group 8 = 128
 * completions of up to 5 tokens (temperature 1, stop at EOS), a rule reward on the first character, GRPO
 * credit (group-normalized scores), token-mean PPO-clip loss (one epoch, one minibatch), backward, clip 1.0,
 * AdamW. The step includes writing its metrics and samples lines. Prints median/min/max of the step and the
 * median of each part.
 *
 * <p>Usage: GrpoStepBench [warmup=5] [runs=20]
 */
public final class GrpoStepBench {
    /** GRPO credit: group-normalized scores (std + 1e-4). */
    static final CreditFunction GRPO = b -> {
        Tensor r = b.scores();
        return new CreditFunction.Credit(r.sub(Groups.mean(r, b.group())).div(Groups.std(r, b.group()).add(1e-4)));
    };

    /** Token-mean PPO-clip at eps 0.2. */
    static final LossFunction PPO_CLIP = b -> {
        Tensor ratio = b.logp().sub(b.oldLogp()).exp();
        Tensor adv = b.advantages();
        Tensor obj = ratio.mul(adv).minimum(ratio.clamp(0.8, 1.2).mul(adv));
        return new LossFunction.Loss(Masked.mean(obj, b.mask(), null).neg());
    };

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Engine.getInstance().setRandomSeed(0);
        StringBuilder alpha = new StringBuilder();
        for (char c = '!'; alpha.length() < 60; c++) alpha.append(c);
        VocabTokenizer tok = VocabTokenizer.chars(alpha.toString());
        ModelConfig cfg = ModelConfig.gpt().vocabSize(tok.vocabSize()).dim(128).layers(4).heads(4).context(32)
                .activation("gelu").build();
        SplittableRandom rng = new SplittableRandom(1);
        List<PromptSource.Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            char[] p = new char[8];
            for (int j = 0; j < 8; j++) p[j] = alpha.charAt(rng.nextInt(60));
            prompts.add(new PromptSource.Prompt(new String(p), null));
        }
        String firstHalf = alpha.substring(0, 30);
        RewardEvaluator reward = samples -> {
            double[] v = new double[samples.size()];
            for (int i = 0; i < v.length; i++) {
                String c = samples.get(i).completion();
                v[i] = !c.isEmpty() && firstHalf.indexOf(c.charAt(0)) >= 0 ? 1 : 0;
            }
            return RewardEvaluator.Rewards.single("first_half", v);
        };
        CreditFunction grpo = GRPO;
        LossFunction ppo = PPO_CLIP;
        Path dir = Files.createTempDirectory("rlx-grpo-bench");
        List<double[]> times = new ArrayList<>();
        try (CausalLM model = CausalLM.create(cfg, ComputeConfig.defaults(), 0)) {
            System.out.printf("model: gpt2 layers=4 dim=128 heads=4 vocab=%d params=%d threads=%s; 16 prompts x 8, <=5 new tokens%n",
                    tok.vocabSize(), model.numParameters(), System.getProperty("ai.djl.pytorch.num_threads", "default"));
            RlPlan plan = RlPlan.builder().policy(model).tokenizer(tok).data(PromptSource.of(prompts)).rewards(reward)
                    .credit(grpo).loss(ppo).rollout(new RlPlan.Rollout(8, 1.0, 1.0, 0, 5, List.of()))
                    .optimizer(RlPlan.Optimizer.defaults().withLr(1e-5)).batch(16).steps(warmup + runs)
                    .checkpointEvery(0).samplesPerStep(4).seed(0).runDir(dir).build();
            RlTrainer.run(plan, new RunListener() {
                @Override public void onStep(StepMetrics m) {
                    if (m.step() > warmup) {
                        times.add(new double[] {m.get("time_ms_total"), m.get("time_ms_rollout"), m.get("time_ms_reward"),
                                m.get("time_ms_credit"), m.get("time_ms_update")});
                    }
                }
            }).close();
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        double[] total = col(times, 0);
        System.out.printf("grpo_step median_ms=%.2f min_ms=%.2f max_ms=%.2f runs=%d%n", median(total),
                Arrays.stream(total).min().orElseThrow(), Arrays.stream(total).max().orElseThrow(), total.length);
        System.out.printf("split median_ms rollout=%.2f reward=%.2f credit=%.2f update=%.2f%n", median(col(times, 1)),
                median(col(times, 2)), median(col(times, 3)), median(col(times, 4)));
    }

    private static double[] col(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
