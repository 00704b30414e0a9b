package dev.rlx.cli;

import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.api.Syntax;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * `rlx repl`. On a terminal: JLine line editing, history in ~/.rlx/history, completion, highlighting,
 * continuation prompts. With piped input: the same inputs read line by line without prompts, so
 * scripts and tests can drive it.
 */
final class Repl {
    private static final String PROMPT = "rlx> ";
    private static final String CONTINUATION = "...> ";

    private final PrintStream out;
    private final PrintStream err;
    private final java.time.Duration timeLimit;

    Repl(PrintStream out, PrintStream err, java.time.Duration timeLimit) {
        this.out = out;
        this.err = err;
        this.timeLimit = timeLimit;
    }

    int run() {
        try (RlxSession session = new RlxSession(out)) {
            session.setTimeLimit(timeLimit);
            ReplCommands commands = new ReplCommands(session, out, err);
            if (System.console() != null && System.console().isTerminal()) {
                session.setProgressListener(new ProgressLine(err));
                interactive(session, commands);
            } else {
                piped(commands);
            }
        }
        return 0;
    }

    private void piped(ReplCommands commands) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder pending = new StringBuilder();
        try {
            String line;
            while ((line = in.readLine()) != null) {
                if (!pending.isEmpty()) {
                    pending.append('\n');
                }
                pending.append(line);
                String input = pending.toString();
                if (!input.strip().startsWith(":") && Syntax.isIncomplete(input)) {
                    continue;
                }
                pending.setLength(0);
                if (!commands.accept(input)) {
                    return;
                }
            }
            if (!pending.toString().isBlank()) {
                commands.accept(pending.toString()); // reports what is missing at end of input
            }
        } catch (IOException e) {
            err.println("rlx: cannot read input: " + e.getMessage());
        }
    }

    private void interactive(RlxSession session, ReplCommands commands) {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            Path history = Path.of(System.getProperty("user.home"), ".rlx", "history");
            Files.createDirectories(history.getParent());
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("rlx")
                    .parser(new ReplParser())
                    .completer(new ReplCompleter(session))
                    .highlighter(new ReplHighlighter())
                    .variable(LineReader.HISTORY_FILE, history)
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .build();
            // Ctrl-C while an input is evaluated cancels it (at its next function call); while reading a line,
            // JLine turns it into UserInterruptException below, which drops the line
            terminal.handle(Terminal.Signal.INT, signal -> session.cancel());
            out.println("rlx " + RlxSession.VERSION + " — :help for help, Ctrl-D to leave");
            while (true) {
                String input;
                try {
                    input = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C: drop the current input
                } catch (EndOfFileException e) {
                    return;
                }
                if (!commands.accept(input)) {
                    return;
                }
            }
        } catch (IOException e) {
            err.println("rlx: terminal error: " + e.getMessage());
        }
    }
}
