package dev.rlx.cli;

import static dev.rlx.cli.CommandArgs.stringOption;

import dev.rlx.interpreter.api.RlxReports;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** `rlx report RUN_DIR_OR_SWEEP_DIR... [-o FILE.html]`. */
final class ReportCommand {
    private final PrintStream out;

    ReportCommand(PrintStream out) {
        this.out = out;
    }

    int run(List<String> args) {
        String o = stringOption(args, "-o", null);
        if (o == null) o = stringOption(args, "--output", null);
        if (args.isEmpty()) {
            throw new UsageException("report needs at least one run or sweep folder");
        }
        if (args.stream().anyMatch(a -> a.startsWith("-"))) {
            throw new UsageException("report: unknown option " + args.stream().filter(a -> a.startsWith("-")).findFirst().get());
        }
        List<Path> folders = args.stream().map(Path::of).toList();
        Path file = o != null ? Path.of(o) : RlxReports.defaultOutput(folders);
        List<String> runs = RlxReports.write(folders, file);
        out.println("report of " + runs.size() + (runs.size() == 1 ? " run: " : " runs: ") + file);
        return 0;
    }
}
