package dev.rlx.cli;

import static dev.rlx.cli.CommandArgs.existingFile;
import static dev.rlx.cli.CommandArgs.stringOption;
import static dev.rlx.cli.CommandArgs.takeOverrides;

import dev.rlx.interpreter.api.RlxSweeps;
import dev.rlx.interpreter.api.RunObserver;
import dev.rlx.interpreter.api.SweepGrid;
import dev.rlx.interpreter.api.SweepObserver;
import dev.rlx.interpreter.api.SweepRequest;
import dev.rlx.interpreter.api.SweepResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * `rlx sweep FILE --set seed=1,2,3 [--set lr=1e-5,3e-5] [--experiment NAME[,NAME...]] [--runs DIR] [--target ACC]`.
 */
final class SweepCommand {
    private final PrintStream out;
    private final PrintStream err;

    SweepCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> args) {
        String command = "rlx sweep " + args.stream().map(SweepCommand::quoted).collect(Collectors.joining(" "));
        Map<String, String> sets = takeOverrides(args);
        String experiment = stringOption(args, "--experiment", null);
        String runs = stringOption(args, "--runs", null);
        String target = stringOption(args, "--target", null);
        java.time.Duration limit = Cli.timeLimit(args, 600);
        if (args.size() != 1) {
            throw new UsageException("sweep needs exactly one FILE (and --set name=v1,v2,... for the grid)");
        }
        double targetAccuracy = Double.NaN;
        if (target != null) {
            try {
                targetAccuracy = Double.parseDouble(target);
            } catch (NumberFormatException e) {
                targetAccuracy = -1;
            }
            if (!(targetAccuracy >= 0 && targetAccuracy <= 1)) {
                throw new UsageException("--target needs an accuracy between 0 and 1, got '" + target + "'");
            }
        }
        SweepGrid grid = SweepGrid.parse(sets);
        List<String> experiments = experiment == null ? List.of() : experimentList(experiment);
        SweepRequest request = new SweepRequest(existingFile(args.get(0)), grid, experiments,
                runs == null ? null : Path.of(runs), targetAccuracy, command, limit);
        boolean terminal = System.console() != null && System.console().isTerminal();
        SweepResult result;
        try {
            result = RlxSweeps.run(request, out, new SweepObserver() {
                @Override
                public void onRun(int index, int total, Map<String, String> overrides, Path folder, Action action) {
                    String what = switch (action) {
                        case RUN -> "running";
                        case RESUME -> "resuming";
                        case SKIP_DONE -> "done already, skipped";
                    };
                    err.println("rlx: sweep run " + index + "/" + total + " (" + overrides.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")) + "): " + what
                            + ": " + folder);
                }

                @Override
                public RunObserver runObserver() {
                    return new RunProgress(out, err, terminal);
                }
            });
        } finally {
            Interrupts.reset();
        }
        out.println();
        out.print(result.table());
        out.println();
        out.println("sweep folder " + result.dir() + ": " + result.ran() + " run now, " + result.skipped() + " done before");
        out.println("  table   " + result.markdown() + ", " + result.json());
        out.println("  report  " + result.report());
        if (!result.diverged().isEmpty()) {
            err.println("rlx: diverged: " + String.join(", ", result.diverged()));
        }
        if (result.cancelled()) {
            err.println("rlx: sweep stopped early (interrupted); run the same command again to continue");
            return 130;
        }
        return result.diverged().isEmpty() ? 0 : 1;
    }

    /** `--experiment a,b,c`: each experiment over the whole grid. */
    private static List<String> experimentList(String value) {
        List<String> out = new java.util.ArrayList<>();
        for (String part : value.split(",", -1)) {
            String e = part.strip();
            if (e.isEmpty()) throw new UsageException("--experiment needs names separated by commas, got '" + value + "'");
            if (out.contains(e)) throw new UsageException("--experiment " + e + " is given twice");
            out.add(e);
        }
        return out;
    }

    private static String quoted(String a) {
        return a.isEmpty() || a.chars().anyMatch(c -> " \"'$`\\*?;&|<>()".indexOf(c) >= 0) ? "'" + a.replace("'", "'\\''") + "'" : a;
    }
}
