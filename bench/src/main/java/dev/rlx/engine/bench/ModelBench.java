package dev.rlx.engine.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.AttentionInputs;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import dev.rlx.engine.sample.KvCacheSampler;
import dev.rlx.engine.sample.SamplingParams;
import dev.rlx.engine.train.AdamW;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The model benchmark of STACK.md, mirrored by bench/torch_model_bench.py: a GPT-2 shaped model (4 layers,
 * dim 128, 4 heads, vocab 64, context 32). (1) train step: batch 64 x 32 tokens, forward, next-token
 * cross-entropy, backward, grad-norm clip 1.0, AdamW. (2) sampling: 64 prompts of 8 tokens, 24 new tokens
 * each with a KV cache, temperature 1. Prints median/min/max over timed runs after warm-up.
 *
 * <p>Usage: ModelBench [warmup=5] [runs=20] [device=cpu], or {@code rlx bench model}.
 */
public final class ModelBench {
    static final int LAYERS = 4, DIM = 128, HEADS = 4, VOCAB = 64, CONTEXT = 32, BATCH = 64, SEQ = 32;
    static final int PROMPT = 8, NEW_TOKENS = 24;

    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String device = args.length > 2 ? args[2] : "cpu";
        run(System.out, warmup, runs, device, 0);
    }

    /**
     * Runs both benchmarks, printing to {@code out} (what {@code rlx bench model} calls).
     *
     * @param threads intra-op threads for PyTorch; 0 keeps the engine's setting
     */
    public static void run(PrintStream out, int warmup, int runs, String device, int threads) {
        Engine.getInstance().setRandomSeed(0); // loads the native library before any JniUtils call
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
        ModelConfig cfg = ModelConfig.gpt().vocabSize(VOCAB).dim(DIM).layers(LAYERS).heads(HEADS).context(CONTEXT)
                .activation("gelu").build();
        ComputeConfig compute = new ComputeConfig(device, "float32");
        try (CausalLM model = CausalLM.create(cfg, compute, 0)) {
            out.printf("model: gpt2 layers=%d dim=%d heads=%d vocab=%d params=%d threads=%s device=%s%n",
                    LAYERS, DIM, HEADS, VOCAB, model.numParameters(), threads > 0 ? Integer.toString(threads)
                            : System.getProperty("ai.djl.pytorch.num_threads", "default"), model.manager().getDevice());
            SplittableRandom rng = new SplittableRandom(1);
            long[] data = new long[BATCH * (SEQ + 1)];
            for (int i = 0; i < data.length; i++) {
                data[i] = rng.nextInt(VOCAB);
            }
            model.setTrainable(true);
            try (AdamW opt = new AdamW(model.parameters(), model.manager(), 0.9, 0.999, 1e-8, 0.01, Double.parseDouble(System.getProperty("rlx.bench.clip", "1.0")))) {
                double[] train = time(warmup, runs, () -> trainStep(model, opt, data));
                report(out, "train_step", train, BATCH * SEQ);
            }
            model.setTrainable(false);
            List<int[]> prompts = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                int[] p = new int[PROMPT];
                for (int j = 0; j < PROMPT; j++) {
                    p[j] = rng.nextInt(VOCAB);
                }
                prompts.add(p);
            }
            int[] seed = {0};
            double[] sample = time(warmup, runs, () -> KvCacheSampler.generate(model, null, prompts,
                    SamplingParams.builder().maxTokens(NEW_TOKENS).stopAtEos(false).seed(seed[0]++).build()));
            report(out, "sample_kv", sample, BATCH * NEW_TOKENS);
        }
    }

    static final boolean SPLIT = Boolean.getBoolean("rlx.bench.split");

    static void trainStep(CausalLM model, AdamW opt, long[] data) {
        try (NDManager sm = model.manager().newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray all = sm.create(data, new Shape(BATCH, SEQ + 1));
            NDArray x = all.get(":, :-1");
            NDArray y = all.get(":, 1:");
            NDArray logits = model.forward(x, AttentionInputs.causal(sm, SEQ, model.dataType()), null);
            NDArray loss = logits.logSoftmax(-1).gather(y.expandDims(-1), -1).mean().neg();
            long t1 = System.nanoTime();
            gc.backward(loss);
            long t2 = System.nanoTime();
            opt.step(1e-3);
            long t3 = System.nanoTime();
            if (SPLIT) {
                loss.getFloat();
                System.out.printf("  backward %.1f ms, optimizer %.1f ms%n", (t2 - t1) / 1e6, (t3 - t2) / 1e6);
            }
        }
    }

    static double[] time(int warmup, int runs, Runnable r) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    static void report(PrintStream out, String name, double[] ms, int tokens) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double med = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        out.printf("%s median_ms=%.2f min_ms=%.2f max_ms=%.2f tokens_per_s=%.0f runs=%d%n", name, med, s[0],
                s[s.length - 1], tokens / (med / 1000.0), s.length);
    }
}
