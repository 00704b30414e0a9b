package dev.rlx.cli.bench;

import dev.rlx.interpreter.api.FunctionHandle;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.api.ScriptValues;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `rlx bench reward`: a rule-based reward written in .rlx, called through the engine-facing
 * {@link FunctionHandle} (with a time limit armed per call, as training does), against the same
 * logic as a Java lambda, in the same JVM run. Reports ns/call as median [min, max] over runs.
 */
public final class RewardBench {
    static final String SCRIPT = """
            reward trailing_int(s) =
              let n = to_int(find(s.completion, r"-?[0-9]+$"))
              in (if n == s.answer then 1.0 else 0.0) - 0.01 * len(s.completion)
            """;

    private record Sample(String completion, long answer) {}

    private RewardBench() {}

    public static void run(PrintStream out, long calls, int runs, int warmups) {
        List<Sample> samples = samples(1024);
        Pattern trailing = Pattern.compile("-?[0-9]+$");
        ToDoubleFunction<Sample> java = s -> {
            Matcher m = trailing.matcher(s.completion());
            Long n = null;
            if (m.find()) {
                try {
                    n = Long.parseLong(m.group());
                } catch (NumberFormatException e) {
                    n = null;
                }
            }
            return (n != null && n == s.answer() ? 1.0 : 0.0) - 0.01 * s.completion().codePointCount(0,
                    s.completion().length());
        };
        try (RlxSession session = new RlxSession(OutputStream.nullOutputStream())) {
            RlxSession.Script script = session.loadText("bench.rlx", SCRIPT);
            FunctionHandle reward = session.handle(session.value(script, "trailing_int"), 1, Duration.ofSeconds(10));
            Object[] records = new Object[samples.size()];
            for (int i = 0; i < records.length; i++) {
                records[i] = ScriptValues.record(List.of("completion", "answer"),
                        List.of(samples.get(i).completion(), samples.get(i).answer()));
            }
            // both must agree before anything is timed
            for (int i = 0; i < records.length; i++) {
                double a = (Double) reward.call(records[i]);
                double b = java.applyAsDouble(samples.get(i));
                if (Math.abs(a - b) > 1e-12) {
                    throw new IllegalStateException("rlx and Java disagree on " + samples.get(i) + ": " + a + " vs " + b);
                }
            }
            out.printf("reward: trailing integer == answer, minus 0.01 per character; %d calls per run, %d runs "
                    + "after %d warm-up runs%n", calls, runs, warmups);
            double[] rlx = new double[runs];
            double[] jv = new double[runs];
            for (int r = -warmups; r < runs; r++) {
                // alternate so that machine noise hits both sides alike
                double t1 = time(calls, i -> (Double) reward.call(records[(int) (i & 1023)]));
                double t2 = time(calls, i -> java.applyAsDouble(samples.get((int) (i & 1023))));
                if (r >= 0) {
                    rlx[r] = t1;
                    jv[r] = t2;
                }
            }
            out.printf("  .rlx via FunctionHandle: %s ns/call%n", stats(rlx));
            out.printf("  Java lambda:             %s ns/call%n", stats(jv));
            out.printf("  ratio (median): %.2fx  (target: within 3x)%n", median(rlx) / median(jv));
            out.printf("  runtime: %s%n", RlxSession.runtimeName());
        }
    }

    private interface Call {
        double apply(long i);
    }

    private static double sink;

    private static double time(long calls, Call call) {
        double acc = 0;
        long start = System.nanoTime();
        for (long i = 0; i < calls; i++) {
            acc += call.apply(i);
        }
        long ns = System.nanoTime() - start;
        sink += acc;
        return (double) ns / calls;
    }

    private static List<Sample> samples(int n) {
        SplittableRandom random = new SplittableRandom(7);
        String[] forms = {"%d", "the answer is %d", "%d.", "= %d", "I think %d"};
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long answer = random.nextInt(-99, 200);
            long said = random.nextInt(4) == 0 ? answer + 1 : answer;
            out.add(new Sample(String.format(forms[random.nextInt(forms.length)], said), answer));
        }
        return out;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String stats(double[] v) {
        return stats(v, "%.1f");
    }

    /** `median M [min A, max B]` with each number in {@code format}. */
    static String stats(double[] v, String format) {
        return String.format("median " + format + " [min " + format + ", max " + format + "]", median(v),
                Arrays.stream(v).min().orElse(0), Arrays.stream(v).max().orElse(0));
    }
}
