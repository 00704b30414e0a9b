package dev.rlx.cli;

import static dev.rlx.cli.CommandArgs.existingFile;

import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.SourceFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * `rlx fmt FILE... [--check]`: rewrites each file in the canonical layout (comments and line breaks kept), or with
 * --check only names the files that would change. Exit 1 when a file would change (--check) or does not parse.
 */
final class FormatCommand {
    private final PrintStream out;
    private final PrintStream err;

    FormatCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> args) {
        boolean check = args.remove("--check");
        if (args.isEmpty()) {
            throw new UsageException("fmt needs at least one FILE");
        }
        int failed = 0;
        for (String file : args) {
            Path path = existingFile(file);
            String text = read(path);
            String formatted;
            try {
                formatted = SourceFormat.format(file, text);
            } catch (RlxError e) {
                err.println(e.formatted());
                failed++;
                continue;
            }
            if (formatted.equals(text)) {
                continue;
            }
            if (check) {
                err.println(file + ": would be reformatted (rlx fmt " + file + ")");
                failed++;
            } else {
                write(path, formatted);
                out.println(file + ": formatted");
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Through a temporary sibling and a rename, so an interrupted fmt never leaves half a script. */
    private static void write(Path path, String text) {
        try {
            Path tmp = Files.createTempFile(path.toAbsolutePath().getParent(), ".fmt-", ".rlx");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
