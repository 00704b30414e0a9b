package dev.rlx.engine.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import dev.rlx.engine.run.RunFolder;
import dev.rlx.engine.tensor.DType;
import dev.rlx.engine.tensor.Groups;
import dev.rlx.engine.tensor.Masked;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.TensorScope;
import dev.rlx.engine.tensor.Tensors;
import dev.rlx.engine.tokenizer.VocabTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RL loop on a tiny synthetic task: prompt "d", reward 1 when the completion starts with d+1 (mod 10). */
class RlTrainerTest {
    static final VocabTokenizer TOK = VocabTokenizer.chars("0123456789");

    @TempDir
    Path tmp;

    static PromptSource digits() {
        List<PromptSource.Prompt> ps = new ArrayList<>();
        for (int d = 0; d < 10; d++) ps.add(new PromptSource.Prompt(Integer.toString(d), Integer.toString((d + 1) % 10)));
        return PromptSource.of(ps);
    }

    static final RewardEvaluator NEXT_DIGIT = samples -> {
        double[] v = new double[samples.size()];
        for (int i = 0; i < v.length; i++) {
            Sample s = samples.get(i);
            v[i] = s.completion().startsWith((String) s.answer()) ? 1 : 0;
        }
        return RewardEvaluator.Rewards.single("correct", v);
    };

    static final CreditFunction GRPO = b -> {
        Tensor r = b.scores();
        return new CreditFunction.Credit(r.sub(Groups.mean(r, b.group())).div(Groups.std(r, b.group()).add(1e-4)),
                Masked.lastTokenScatter(b.scores(), b.mask()));
    };

    static LossFunction ppoClip(double eps) {
        return b -> {
            Tensor ratio = b.logp().sub(b.oldLogp()).exp();
            Tensor adv = b.advantages();
            Tensor s1 = ratio.mul(adv);
            Tensor s2 = ratio.clamp(1 - eps, 1 + eps).mul(adv);
            Tensor loss = Masked.mean(s1.minimum(s2), b.mask(), null).neg();
            double clip = Masked.mean(ratio.sub(1.0).abs().gt(eps).toType(DType.FLOAT32), b.mask(), null).item();
            return new LossFunction.Loss(loss, Map.of("clip_fraction", clip));
        };
    }

    /** PPO's clipped value loss, 0.5 * masked_mean(max((V - R)^2, (clip(V, V_old +- eps) - R)^2)). */
    static LossFunction clippedValueLoss(double eps) {
        return b -> {
            Tensor v = b.values();
            Tensor old = b.oldValues();
            Tensor err = v.sub(b.returns()).pow(2.0);
            Tensor errC = old.add(v.sub(old).clamp(-eps, eps)).sub(b.returns()).pow(2.0);
            return new LossFunction.Loss(Masked.mean(err.maximum(errC), b.mask(), null).mul(0.5));
        };
    }

    static CausalLM tinyGpt() {
        ModelConfig cfg = ModelConfig.gpt().vocabSize(TOK.vocabSize()).dim(32).layers(1).heads(2).context(8).build();
        return CausalLM.create(cfg, ComputeConfig.defaults(), 7);
    }

    static RlPlan.Builder plan(CausalLM policy, Path dir) {
        return RlPlan.builder().policy(policy).tokenizer(TOK).data(digits()).rewards(NEXT_DIGIT).credit(GRPO)
                .loss(ppoClip(0.2)).rollout(new RlPlan.Rollout(8, 1.0, 1.0, 0, 2, List.of()))
                .optimizer(RlPlan.Optimizer.defaults().withLr(1e-2)).batch(8).seed(3).runDir(dir)
                .correctness(s -> s.completion().startsWith((String) s.answer()));
    }

    @Test
    void rewardRisesOnNextDigitTask() {
        try (CausalLM policy = tinyGpt()) {
            PromptSource evalData = digits();
            RlPlan p = plan(policy, tmp.resolve("learn")).steps(40).checkpointEvery(0).epochs(2).minibatch(32)
                    .optimizer(RlPlan.Optimizer.defaults().withLr(1e-2))
                    .eval(new RlPlan.Eval(evalData, 20, true, 0, s -> s.completion().startsWith((String) s.answer())))
                    .build();
            List<Double> rewards = new ArrayList<>();
            try (RlTrainer.Result res = RlTrainer.run(p, new RunListener() {
                @Override public void onStep(StepMetrics m) { rewards.add(m.get("reward")); }
            })) {
                double first = rewards.subList(0, 5).stream().mapToDouble(x -> x).average().orElseThrow();
                double last = rewards.subList(35, 40).stream().mapToDouble(x -> x).average().orElseThrow();
                assertTrue(last > first + 0.25 && last > 3 * first, "reward " + first + " -> " + last + ": " + rewards);
                RunSummary s = res.summary();
                assertEquals(40, s.stepsDone());
                assertTrue(s.finalAccuracy() > s.startAccuracy(), s.toString());
                assertTrue(Files.isDirectory(p.runDir().resolve("checkpoints/step-40/policy")));
                assertTrue(Files.isRegularFile(p.runDir().resolve("checkpoints/step-40/policy/tokenizer.json")),
                        "a checkpoint policy carries its tokenizer");
                List<JsonObject> lines = new RunFolder(p.runDir()).readMetrics();
                assertEquals(40, lines.size());
                for (String k : List.of("step", "time_ms_rollout", "time_ms_reward", "time_ms_credit", "time_ms_update",
                        "reward", "reward/correct", "score_std", "accuracy", "entropy", "loss", "clip_fraction",
                        "grad_norm", "lr", "length_mean", "length_max", "truncation_rate", "filtered_groups")) {
                    assertTrue(lines.get(0).has(k), "metrics line lacks " + k + ": " + lines.get(0));
                }
                assertTrue(lines.get(19).has("eval_accuracy"));
            }
            assertFalse(policy.isTrainable(), "the plan's policy is not trained in place");
        }
    }

    /** A resumed run (after a crash at step 5, checkpoint at 3) writes the same metrics as an uninterrupted one. */
    @Test
    void killAndResumeGivesIdenticalMetrics() {
        try (CausalLM policy = tinyGpt()) {
            // Two epochs of minibatches. (Runs used to differ in the last bits of grad_norm when other tests ran
            // first: a GC between forward and backward freed scalar operands autograd still read; see Scalars.)
            java.util.function.Function<Path, RlPlan> mk = dir -> plan(policy, dir).steps(6).checkpointEvery(3)
                    .epochs(2).minibatch(24).reference(true).keepLast(1)
                    .critic(new RlPlan.Critic(RlPlan.Optimizer.defaults().withLr(1e-3), clippedValueLoss(0.2)))
                    .build();
            RlPlan a = mk.apply(tmp.resolve("a"));
            RlTrainer.Result ra = RlTrainer.run(a, null);
            ra.close();
            RlPlan b = mk.apply(tmp.resolve("b"));
            assertThrows(IllegalStateException.class, () -> RlTrainer.run(b, new RunListener() {
                @Override public void onStep(StepMetrics m) {
                    if (m.step() == 5) throw new IllegalStateException("simulated kill");
                }
            }));
            assertEquals(5, new RunFolder(b.runDir()).readMetrics().size());
            RlTrainer.resume(b, b.runDir(), null).close();
            List<JsonObject> la = new RunFolder(a.runDir()).readMetrics();
            List<JsonObject> lb = new RunFolder(b.runDir()).readMetrics();
            assertEquals(6, lb.size());
            for (int i = 0; i < 6; i++) {
                assertEquals(strip(la.get(i)), strip(lb.get(i)), "step " + (i + 1));
            }
            assertTrue(la.get(0).has("kl") && la.get(0).has("value_loss"));
            assertEquals(List.of("step-6"), ckptNames(b.runDir()));
        }
    }

    @Test
    void partialCheckpointsAreIgnoredOnResume() throws Exception {
        try (CausalLM policy = tinyGpt()) {
            RlPlan p = plan(policy, tmp.resolve("c")).steps(2).checkpointEvery(1).keepLast(3).batch(2).build();
            RlTrainer.run(p, new RunListener() {
                @Override public boolean cancelled() { return true; }
            }).close();
            Path ck = p.runDir().resolve("checkpoints");
            assertEquals(List.of("step-1"), ckptNames(p.runDir()));
            Files.createDirectories(ck.resolve(".tmp-step-2/policy"));
            Files.writeString(ck.resolve(".tmp-step-2/policy/model.safetensors"), "garbage");
            Files.createDirectories(ck.resolve("step-9/policy")); // renamed without state.json: not complete
            Files.writeString(ck.resolve("step-9/state.json"), "{\"ste");
            try (RlTrainer.Result r = RlTrainer.resume(p, p.runDir(), null)) {
                assertEquals(2, r.summary().stepsDone());
            }
            assertFalse(Files.exists(ck.resolve(".tmp-step-2")));
            assertEquals(2, new RunFolder(p.runDir()).readMetrics().size());
        }
    }

    @Test
    void nanLossStopsWithDiagnosticAndKeepsLastCheckpoint() {
        try (CausalLM policy = tinyGpt()) {
            int[] calls = {0};
            LossFunction base = ppoClip(0.2);
            LossFunction nanAt3 = b -> {
                LossFunction.Loss l = base.compute(b);
                return ++calls[0] == 3 ? new LossFunction.Loss(l.value().mul(Double.NaN)) : l;
            };
            RlPlan p = plan(policy, tmp.resolve("nan")).steps(5).checkpointEvery(2).batch(2).loss(nanAt3).build();
            RlDivergedException e = assertThrows(RlDivergedException.class, () -> RlTrainer.run(p, null));
            assertEquals(3, e.step());
            assertEquals("loss", e.quantity());
            assertTrue(e.getMessage().contains("step-2"), e.getMessage());
            assertEquals(List.of("step-2"), ckptNames(p.runDir()));
            assertEquals(2, new RunFolder(p.runDir()).readMetrics().size());
        }
    }

    @Test
    void memoryStaysFlatOver200Steps() {
        try (CausalLM policy = tinyGpt()) {
            long[] arrays = new long[2];
            long[] rss = new long[2];
            RlPlan p = plan(policy, tmp.resolve("mem")).steps(200).checkpointEvery(0).batch(2)
                    .rollout(new RlPlan.Rollout(2, 1.0, 1.0, 0, 2, List.of())).reference(true).samplesPerStep(0).build();
            RlTrainer.run(p, new RunListener() {
                @Override public void onStep(StepMetrics m) {
                    if (m.step() == 50 || m.step() == 200) {
                        int k = m.step() == 50 ? 0 : 1;
                        arrays[k] = TensorScope.current().liveArrays();
                        System.gc();
                        rss[k] = rssKb() - Runtime.getRuntime().totalMemory() / 1024;
                    }
                }
            }).close();
            assertEquals(arrays[0], arrays[1], "arrays left in the caller's scope");
            assertTrue(rss[1] - rss[0] < 20_000, "native memory grew by " + (rss[1] - rss[0]) + " KiB over 150 steps");
        }
    }

    static long rssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return 0;
    }

    static JsonObject strip(JsonObject o) {
        JsonObject c = o.deepCopy();
        for (String k : List.copyOf(c.keySet())) if (k.startsWith("time_")) c.remove(k);
        return c;
    }

    static List<String> ckptNames(Path run) {
        return new RunFolder(run).checkpoints().stream().map(x -> x.getFileName().toString()).toList();
    }
}
