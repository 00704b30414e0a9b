package dev.rlx.cli;

import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** What the REPL does with one complete input, whatever reads the lines (JLine or a pipe). */
final class ReplCommands {
    static final String HELP = """
            Enter a declaration (x = 1, f(a) = a + 1, reward r(s) = ..., import "std/credit" as c)
            or an expression; later inputs see earlier bindings. An open bracket or unfinished
            expression continues on the next line.
              :help [NAME]   this text, or the signature and doc of a builtin, binding or module.member
              :type EXPR     the type of an expression's value
              :load FILE     evaluate a script file and bind its declarations here
              :reset         forget every binding
              :quit          leave (Ctrl-D also leaves; Ctrl-C cancels the current input)""";

    static final List<String> COMMANDS = List.of(":help", ":type", ":load", ":reset", ":quit");

    private final RlxSession session;
    private final PrintStream out;
    private final PrintStream err;

    ReplCommands(RlxSession session, PrintStream out, PrintStream err) {
        this.session = session;
        this.out = out;
        this.err = err;
    }

    /** Handles one input; returns false when the REPL should end. Errors are printed, never thrown. */
    boolean accept(String input) {
        String line = input.strip();
        if (line.isEmpty()) {
            return true;
        }
        try {
            if (line.startsWith(":")) {
                return command(line);
            }
            RlxSession.ReplResult r = session.repl(input);
            if (r.value() == null) {
                return true;
            }
            if (r.isDeclaration()) {
                out.println(r.name() + " = " + RlxSession.display(r.value()));
            } else {
                out.println(RlxSession.display(r.value()));
            }
        } catch (RlxError e) {
            err.println(e.formatted());
        } catch (RuntimeException e) {
            err.println("rlx: internal error: " + e);
        }
        err.flush();
        out.flush();
        return true;
    }

    private boolean command(String line) {
        int space = line.indexOf(' ');
        String cmd = space < 0 ? line : line.substring(0, space);
        String arg = space < 0 ? "" : line.substring(space + 1).strip();
        switch (cmd) {
            case ":quit", ":q", ":exit" -> {
                return false;
            }
            case ":help", ":h" -> out.println(arg.isEmpty() ? HELP : session.help(arg));
            case ":type", ":t" -> out.println(arg + " : " + session.typeOf(arg));
            case ":load", ":l" -> {
                List<String> names = session.loadIntoRepl(Path.of(arg));
                out.println("loaded " + arg + ": " + String.join(", ", names));
            }
            case ":reset" -> {
                session.resetScratch();
                out.println("all bindings forgotten");
            }
            default -> err.println("unknown command " + cmd + " (try :help)");
        }
        return true;
    }
}
