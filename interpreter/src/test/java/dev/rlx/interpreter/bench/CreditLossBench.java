package dev.rlx.interpreter.bench;

import dev.rlx.engine.tensor.GradientRecording;
import dev.rlx.engine.tensor.Masked;
import dev.rlx.engine.tensor.Returns;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.TensorRuntime;
import dev.rlx.engine.tensor.TensorScope;
import dev.rlx.engine.tensor.Tensors;
import dev.rlx.interpreter.api.FunctionHandle;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.tensor.TensorValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/**
 * Issue 3's benchmark: credit.gae (gamma 1, lam 0.95, whitened) + loss.ppo_clip (token-mean) forward
 * and backward w.r.t. logp, B=512, T=256, CPU, run (a) through .rlx (the stdlib functions and the
 * grad builtin, called from Java through a FunctionHandle) and (b) as the same sequence of engine
 * primitives written in Java. The two alternate within one run, each step in its own TensorScope, so
 * both see the same machine state. Overhead = median(.rlx) / median(Java) - 1.
 *
 * <p>Run: interpreter/src/test/bench-credit.sh [runs] [threads]
 */
public final class CreditLossBench {
    static final int B = 512, T = 256;

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        TensorRuntime.configure("cpu", threads, 1);

        Random rnd = new Random(7);
        float[] mask = new float[B * T], rewards = new float[B * T], values = new float[B * T];
        float[] logp = new float[B * T], oldLogp = new float[B * T];
        for (int b = 0; b < B; b++) {
            int len = 1 + rnd.nextInt(T);
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

        try (RlxSession session = new RlxSession(System.out)) {
            session.repl("step(logp, old_logp, rewards, values, mask) = "
                    + "let adv = credit.gae(rewards, values, mask, lam: 0.95).advantages in "
                    + "grad((x) => loss.ppo_clip(x, old_logp, adv, mask), logp)");
            FunctionHandle step = session.handle(session.eval("step"), 5, Duration.ZERO);
            Object[] rlxArgs = {new TensorValue(lp), new TensorValue(old), new TensorValue(r), new TensorValue(v), new TensorValue(m)};

            int warmup = Math.max(10, runs / 2);
            double[] javaMs = new double[runs], rlxMs = new double[runs];
            double javaCheck = 0, rlxCheck = 0;
            for (int i = -warmup; i < runs; i++) {
                for (int which = 0; which < 2; which++) {
                    boolean rlxFirst = (i & 1) == 0;      // alternate the order to cancel drift
                    boolean doRlx = (which == 0) == rlxFirst;
                    try (TensorScope scope = TensorScope.open()) {
                        long t0 = System.nanoTime();
                        Tensor g = doRlx ? ((TensorValue) step.call(rlxArgs)).tensor() : javaStep(lp, old, r, v, m);
                        float[] gv = g.ndarray().toFloatArray();   // force the backward to finish
                        long t1 = System.nanoTime();
                        if (i >= 0) {
                            (doRlx ? rlxMs : javaMs)[i] = (t1 - t0) / 1e6;
                        }
                        double s = 0;
                        for (float f : gv) s += f;
                        if (doRlx) rlxCheck = s; else javaCheck = s;
                    }
                }
            }
            System.out.printf("CreditLossBench B=%d T=%d threads=%d runs=%d (warm-up %d) runtime=%s%n",
                    B, T, threads, runs, warmup, RlxSession.runtimeName());
            System.out.printf("gradient checksums: java %.6e  rlx %.6e%n", javaCheck, rlxCheck);
            double mj = report("java primitives (gae+whiten+ppo_clip fwd+bwd)", javaMs);
            double mr = report(".rlx credit.gae + loss.ppo_clip + grad       ", rlxMs);
            System.out.printf(".rlx overhead: %+.1f%% of the tensor time (median %.2f ms vs %.2f ms)%n",
                    100 * (mr / mj - 1), mr, mj);
        }
    }

    /** The primitives std/credit.gae, std/loss.ppo_clip and grad run, in the same order, from Java. */
    static Tensor javaStep(Tensor lp, Tensor old, Tensor r, Tensor v, Tensor m) {
        Returns.Gae g = Returns.gae(r, v, m, 1.0, 0.95);
        Tensor adv = Masked.whiten(g.advantages(), m, true).mul(m);
        g.returns().mul(m);
        Tensor leaf = lp.withGrad();
        try (GradientRecording rec = Tensors.recordGradients()) {
            Tensor rho = leaf.sub(old).clamp(-20.0, 20.0).exp();
            Tensor negA = adv.neg();
            Tensor l1 = negA.mul(rho);
            Tensor l2 = negA.mul(rho.clamp(0.8, 1.2));
            Tensor lc = l1.maximum(l2);
            Tensor loss = Masked.mean(lc, m, null);
            Masked.mean(l2.gt(l1).toType(dev.rlx.engine.tensor.DType.FLOAT32), m, null);   // clip_frac
            Tensors.scalar(0.0);                                                             // clip_frac_lower
            Masked.mean(old.sub(leaf), m, null).stopGradient();                              // approx_kl
            rec.backward(loss.sum().add(leaf.sum().mul(0.0)));
        }
        return leaf.gradient();
    }

    private static double report(String name, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        System.out.printf("%s median %7.2f ms   min %7.2f ms   max %7.2f ms%n", name, median, s[0], s[s.length - 1]);
        return median;
    }
}
