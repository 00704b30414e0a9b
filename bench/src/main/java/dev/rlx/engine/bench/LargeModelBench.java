package dev.rlx.engine.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
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
import dev.rlx.engine.sample.KvCacheSampler;
import dev.rlx.engine.sample.SamplingParams;
import dev.rlx.engine.tokenizer.VocabTokenizer;
import dev.rlx.engine.weights.HfModels;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A policy of a released model's shape on this machine (issue 18): Qwen2.5-0.5B's architecture (24 layers, dim
 * 896, 14 heads, 2 KV heads, MLP 4864, vocab 151,936, tied embeddings, rope theta 1e6), randomly initialized in
 * Java, saved in Hugging Face layout and loaded back, then (1) KV-cache sampling of 4 sequences x 16 new tokens
 * and (2) GRPO steps of the real trainer at 2 prompts x 2 samples x 16 tokens (token-mean PPO-clip, one epoch,
 * AdamW with fp32 moments). Prints the time of each phase, ms per sampled token, ms per step (median, min, max)
 * and the process's peak resident memory (VmHWM) after each phase: weights, gradients and AdamW moments in fp32
 * are 4 x 2 GB, so the budget is 16 GiB.
 *
 * <p>The tokenizer is a character one over 60 symbols: the model's vocabulary is the real size (every embedding,
 * logit and log-softmax is 151,936 wide) while prompts stay short; sampled ids past the tokenizer decode as
 * {@code <unk>}, like a checkpoint's padding rows. The reward reads the sampled ids (the share of even ones), so
 * the advantages are not all zero and the update does real work.
 */
public final class LargeModelBench {
    private LargeModelBench() {}

    static final int PROMPTS = 2, GROUP = 2, NEW_TOKENS = 16, PROMPT_CHARS = 8;

    /** The shapes {@code --shape} knows. */
    public static final List<String> SHAPES = List.of("qwen2.5-0.5b");

    /** The named shape (one of {@link #SHAPES}). */
    static ModelConfig shape(String name, int vocab) {
        if (!SHAPES.contains(name)) {
            throw new IllegalArgumentException("unknown shape '" + name + "' (known: " + String.join(", ", SHAPES) + ")");
        }
        return ModelConfig.qwen2().vocabSize(vocab).dim(896).layers(24).heads(14).kvHeads(2).intermediateSize(4864)
                .tieWordEmbeddings(true).ropeTheta(1_000_000.0).context(128).build();
    }

    public static void run(PrintStream out, String shapeName, int warmup, int runs, String device, int threads)
            throws IOException {
        Engine.getInstance().setRandomSeed(0);
        if (threads > 0) JniUtils.setNumThreads(threads);
        StringBuilder alpha = new StringBuilder();
        for (char c = '!'; alpha.length() < 60; c++) alpha.append(c);
        VocabTokenizer tok = VocabTokenizer.chars(alpha.toString());
        ModelConfig cfg = shape(shapeName, 151_936);
        ComputeConfig compute = new ComputeConfig(device, "float32");
        Path dir = Files.createTempDirectory("rlx-large-model");
        try {
            long t0 = System.nanoTime();
            long params;
            try (CausalLM built = CausalLM.create(cfg, compute, 0)) {
                params = built.numParameters();
                out.printf("model: %s (qwen2) params=%,d threads=%d device=%s%n", shapeName, params, threads,
                        built.manager().getDevice());
                phase(out, "init", t0);
                long ts = System.nanoTime();
                HfModels.save(built, dir.resolve("policy"));
                phase(out, "save", ts);
            }
            out.printf("  saved: %.2f GB in %s%n", folderBytes(dir) / 1e9, dir.resolve("policy"));
            long tl = System.nanoTime();
            try (CausalLM model = HfModels.load(dir.resolve("policy"), compute)) {
                phase(out, "load", tl);
                sample(out, model, warmup, runs);
                grpo(out, model, tok, dir.resolve("run"), warmup, runs);
            }
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static void sample(PrintStream out, CausalLM model, int warmup, int runs) {
        SplittableRandom rng = new SplittableRandom(1);
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < PROMPTS * GROUP; i++) {
            int[] p = new int[PROMPT_CHARS];
            for (int j = 0; j < p.length; j++) p[j] = 3 + rng.nextInt(60);
            prompts.add(p);
        }
        int[] seed = {0};
        double[] ms = ModelBench.time(warmup, runs, () -> KvCacheSampler.generate(model, null, prompts,
                SamplingParams.builder().maxTokens(NEW_TOKENS).stopAtEos(false).seed(seed[0]++).build()));
        report(out, "sample_kv (4 x 16 tokens)", ms);
        out.printf("  ms per decoding step (4 sequences): %.1f%n", median(ms) / NEW_TOKENS);
        memory(out, "after sampling");
    }

    private static void grpo(PrintStream out, CausalLM model, VocabTokenizer tok, Path runDir, int warmup, int runs) {
        SplittableRandom rng = new SplittableRandom(2);
        List<PromptSource.Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            char[] p = new char[PROMPT_CHARS];
            for (int j = 0; j < p.length; j++) p[j] = (char) ('!' + rng.nextInt(60));
            prompts.add(new PromptSource.Prompt(new String(p), null));
        }
        RewardEvaluator evenIds = samples -> {
            double[] v = new double[samples.size()];
            for (int i = 0; i < v.length; i++) {
                int[] ids = samples.get(i).tokens();
                long even = Arrays.stream(ids).filter(id -> id % 2 == 0).count();
                v[i] = ids.length == 0 ? 0 : (double) even / ids.length;
            }
            return RewardEvaluator.Rewards.single("even_ids", v);
        };
        CreditFunction grpo = GrpoStepBench.GRPO;
        LossFunction ppo = GrpoStepBench.PPO_CLIP;
        List<double[]> times = new ArrayList<>();
        RlPlan plan = RlPlan.builder().policy(model).tokenizer(tok).data(PromptSource.of(prompts)).rewards(evenIds)
                .credit(grpo).loss(ppo).rollout(new RlPlan.Rollout(GROUP, 1.0, 1.0, 0, NEW_TOKENS, List.of()))
                .optimizer(RlPlan.Optimizer.defaults().withLr(1e-6)).batch(PROMPTS).steps(warmup + runs)
                .checkpointEvery(0).samplesPerStep(0).seed(0).runDir(runDir).build();
        RlTrainer.run(plan, new RunListener() {
            @Override public void onStep(StepMetrics m) {
                if (m.step() > warmup) {
                    times.add(new double[] {m.get("time_ms_total"), m.get("time_ms_rollout"), m.get("time_ms_update")});
                }
            }
        }).close();
        double[] total = times.stream().mapToDouble(r -> r[0]).toArray();
        report(out, "grpo_step (2 prompts x 2 samples x 16 tokens)", total);
        out.printf("  split median_ms rollout=%.0f update=%.0f%n",
                median(times.stream().mapToDouble(r -> r[1]).toArray()),
                median(times.stream().mapToDouble(r -> r[2]).toArray()));
        memory(out, "after GRPO steps (weights, gradients, AdamW moments)");
    }

    private static void phase(PrintStream out, String name, long startNanos) {
        out.printf("%s: %.1f s%n", name, (System.nanoTime() - startNanos) / 1e9);
        memory(out, "after " + name);
    }

    /** Peak resident memory so far (VmHWM), the number the 16 GiB budget is about; Linux only. */
    static void memory(PrintStream out, String when) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    out.printf("  peak resident memory %s: %.2f GiB%n", when, kb / (1024.0 * 1024.0));
                }
            }
        } catch (IOException | RuntimeException e) {
            out.printf("  peak resident memory %s: unknown (%s)%n", when, e.getMessage());
        }
    }

    private static long folderBytes(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void report(PrintStream out, String name, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        out.printf("%s median_ms=%.0f min_ms=%.0f max_ms=%.0f runs=%d%n", name, median(ms), s[0], s[s.length - 1],
                s.length);
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
