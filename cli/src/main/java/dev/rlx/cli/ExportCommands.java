package dev.rlx.cli;

import static dev.rlx.cli.CommandArgs.existingFile;
import static dev.rlx.cli.CommandArgs.stringOption;
import static dev.rlx.cli.CommandArgs.takeOverrides;

import dev.rlx.interpreter.api.RewardServer;
import dev.rlx.interpreter.api.RlxExports;
import dev.rlx.interpreter.api.RlxSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** `rlx export FILE --to trl DIR` and `rlx serve-rewards FILE`: handing an experiment to TRL. */
final class ExportCommands {
    private ExportCommands() {}

    static int export(List<String> args, PrintStream out, PrintStream err) {
        Map<String, String> overrides = takeOverrides(args);
        String experiment = stringOption(args, "--experiment", null);
        String to = stringOption(args, "--to", null);
        if (to == null || args.size() != 2) {
            throw new UsageException("export needs FILE --to trl DIR");
        }
        if (!to.equals("trl")) {
            throw new UsageException("export --to knows only trl (TRL's GRPOTrainer on Accelerate), got '" + to + "'");
        }
        // script output (print) goes to stderr: stdout carries only the result line
        try (RlxSession session = new RlxSession(err)) {
            RlxExports.Exported e = RlxExports.trl(session, existingFile(args.get(0)), overrides, experiment,
                    Path.of(args.get(1)));
            out.println("exported experiment '" + e.experiment() + "' to " + e.dir() + " (TRL GRPOTrainer); see "
                    + e.dir().resolve("README.md"));
        }
        return 0;
    }

    /** Serves until stdin ends; stdout carries only protocol lines (the script's prints go to stderr). */
    static int serveRewards(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        Map<String, String> overrides = takeOverrides(args);
        String experiment = stringOption(args, "--experiment", null);
        if (args.size() != 1) {
            throw new UsageException("serve-rewards needs exactly one FILE");
        }
        try (RlxSession session = new RlxSession(err)) {
            RewardServer server = RewardServer.open(session, existingFile(args.get(0)), overrides, experiment);
            out.println(server.header());
            out.flush();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank()) {
                    out.println(server.handle(line));
                    out.flush();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
    }
}
