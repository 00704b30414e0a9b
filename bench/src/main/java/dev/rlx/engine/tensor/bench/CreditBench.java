package dev.rlx.engine.tensor.bench;

import dev.rlx.engine.tensor.GradientRecording;
import dev.rlx.engine.tensor.Masked;
import dev.rlx.engine.tensor.Returns;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.TensorRuntime;
import dev.rlx.engine.tensor.TensorScope;
import dev.rlx.engine.tensor.Tensors;

import java.util.Arrays;
import java.util.Random;

/**
 * The Java baseline for issue 3's benchmark: GAE (gamma 1, lambda 0.95) + masked whitening + a PPO-clip
 * token-mean loss, forward and backward w.r.t. logp, for B=512, T=256 on CPU, written directly against
 * the tensor API. The .rlx stdlib version of the same computation is later compared to this figure.
 *
 * <p>Run (from the repository root, JDK 25):
 * <pre>
 *   mvn -B -q -o -pl bench -am compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
 *   $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *       -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
 *       -cp bench/target/classes:$(cat bench/target/bench.classpath) dev.rlx.engine.tensor.bench.CreditBench [runs] [threads]
 * </pre>
 */
public final class CreditBench {
    static final int B = 512, T = 256;

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        TensorRuntime.configure("cpu", threads, 1);

        Random rnd = new Random(7);
        float[] mask = new float[B * T], rewards = new float[B * T], values = new float[B * T];
        float[] logp = new float[B * T], oldLogp = new float[B * T];
        for (int b = 0; b < B; b++) {
            int len = 1 + rnd.nextInt(T);                       // ragged responses
            for (int t = 0; t < T; t++) {
                int i = b * T + t;
                mask[i] = t < len ? 1f : 0f;
                rewards[i] = t == len - 1 ? (rnd.nextBoolean() ? 1f : 0f) : 0f;
                values[i] = (float) rnd.nextGaussian() * 0.1f;
                oldLogp[i] = -1f - (float) rnd.nextDouble();
                logp[i] = oldLogp[i] + (float) rnd.nextGaussian() * 0.1f;
            }
        }
        Tensor m = Tensors.fromFloats(mask, B, T), r = Tensors.fromFloats(rewards, B, T);
        Tensor v = Tensors.fromFloats(values, B, T), old = Tensors.fromFloats(oldLogp, B, T);
        Tensor lp = Tensors.fromFloats(logp, B, T);

        int warmup = Math.max(5, runs / 3);
        double[] gaeMs = new double[runs], lossMs = new double[runs], totalMs = new double[runs];
        double check = 0;
        for (int i = -warmup; i < runs; i++) {
            try (TensorScope step = TensorScope.open()) {
                long t0 = System.nanoTime();
                Tensor adv = Masked.whiten(Returns.gae(r, v, m, 1.0, 0.95).advantages(), m, true);
                long t1 = System.nanoTime();
                Tensor leaf = lp.withGrad();
                try (GradientRecording rec = Tensors.recordGradients()) {
                    Tensor loss = ppoClipTokenMean(leaf, old, adv, m, 0.2, 0.2);
                    rec.backward(loss);
                    check = loss.item();
                }
                Tensor g = leaf.gradient();
                g.ndarray().toFloatArray();                     // force the backward to have finished
                long t2 = System.nanoTime();
                if (i >= 0) {
                    gaeMs[i] = (t1 - t0) / 1e6;
                    lossMs[i] = (t2 - t1) / 1e6;
                    totalMs[i] = (t2 - t0) / 1e6;
                }
            }
        }
        System.out.printf("CreditBench B=%d T=%d threads=%d runs=%d (warm-up %d), loss=%.6f%n", B, T, threads, runs, warmup, check);
        report("gae+whiten          ", gaeMs);
        report("ppo_clip fwd+bwd    ", lossMs);
        report("total               ", totalMs);
    }

    /** rho = exp(clamp(logp - old, -20, 20)); L = max(-A*rho, -A*clamp(rho, 1-eps_low, 1+eps_high)); token-mean. */
    static Tensor ppoClipTokenMean(Tensor logp, Tensor old, Tensor adv, Tensor mask, double epsLow, double epsHigh) {
        Tensor rho = logp.sub(old).clamp(-20.0, 20.0).exp();
        Tensor unclipped = adv.neg().mul(rho);
        Tensor clipped = adv.neg().mul(rho.clamp(1 - epsLow, 1 + epsHigh));
        Tensor perToken = unclipped.maximum(clipped);
        return Masked.sum(perToken, mask, null).div(mask.sum());
    }

    private static void report(String name, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        System.out.printf("%s median %7.2f ms   min %7.2f ms   max %7.2f ms%n", name, median, s[0], s[s.length - 1]);
    }
}
