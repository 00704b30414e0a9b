package dev.rlx.cli;

import static dev.rlx.cli.CommandArgs.longOption;
import static dev.rlx.cli.CommandArgs.stringOption;

import dev.rlx.interpreter.api.RlxEvaluations;
import dev.rlx.interpreter.api.RlxSession;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `rlx evaluate MODEL_OR_RUN --data EXPR --metric NAME [--samples n] [--pass-at k...] [--max-tokens N]
 * [--temperature T] [--seed S] [--json]`.
 */
final class EvaluateCommand {
    private final PrintStream out;

    EvaluateCommand(PrintStream out) {
        this.out = out;
    }

    int run(List<String> args) {
        boolean json = args.remove("--json");
        String data = stringOption(args, "--data", null);
        String metric = stringOption(args, "--metric", null);
        List<Integer> ks = passAtK(args);
        long samples = longOption(args, "--samples", -1);
        long maxTokens = longOption(args, "--max-tokens", -1);
        String temperature = stringOption(args, "--temperature", null);
        long seed = longOption(args, "--seed", 0);
        java.time.Duration limit = Cli.timeLimit(args, 600);
        if (args.size() != 1 || args.get(0).startsWith("-")) {
            throw new UsageException(args.stream().filter(a -> a.startsWith("-")).findFirst()
                    .map(a -> "evaluate: unknown option " + a).orElse("evaluate needs exactly one MODEL_OR_RUN folder"));
        }
        if (data == null || metric == null) {
            throw new UsageException("evaluate needs --data EXPR (a dataset) and --metric NAME (a reward)");
        }
        if (samples == -1) samples = ks.isEmpty() ? 0 : ks.stream().mapToInt(Integer::intValue).max().getAsInt();
        if (samples < 0 || samples > 4096) throw new UsageException("--samples needs a count from 0 to 4096, got " + samples);
        if (maxTokens == 0 || maxTokens < -1) throw new UsageException("--max-tokens needs a positive number");
        Double t = null;
        if (temperature != null) {
            try {
                t = Double.parseDouble(temperature);
            } catch (NumberFormatException e) {
                t = -1.0;
            }
            if (!(t > 0) || t.isInfinite()) throw new UsageException("--temperature needs a positive number, got '" + temperature + "'");
        }
        Path target = Path.of(args.get(0));
        if (!Files.isDirectory(target)) {
            throw new dev.rlx.interpreter.api.RlxError("error: no such folder: " + target, null);
        }
        try (RlxSession session = new RlxSession(out)) {
            session.setTimeLimit(limit);
            RlxEvaluations.Evaluation e = RlxEvaluations.evaluate(session, new RlxEvaluations.Request(target, data, metric,
                    (int) samples, ks, maxTokens < 0 ? null : (int) maxTokens, t, seed));
            out.print(json ? e.json() + "\n" : e.table());
        }
        return 0;
    }

    /** Every number after --pass-at (`--pass-at 1 4 16`, or repeated, or comma-separated). */
    private static List<Integer> passAtK(List<String> args) {
        List<Integer> ks = new ArrayList<>();
        int i;
        while ((i = args.indexOf("--pass-at")) >= 0) {
            args.remove(i);
            int taken = 0;
            while (i < args.size() && args.get(i).matches("[0-9]+(,[0-9]+)*")) {
                for (String k : args.remove(i).split(",")) {
                    int v = Integer.parseInt(k);
                    if (v < 1) throw new UsageException("--pass-at needs k >= 1, got " + v);
                    if (!ks.contains(v)) ks.add(v);
                }
                taken++;
            }
            if (taken == 0) throw new UsageException("--pass-at needs one or more k (--pass-at 1 4 16)");
        }
        return ks;
    }
}
