package dev.rlx.interpreter.api;

import com.oracle.truffle.api.TruffleStackTrace;
import com.oracle.truffle.api.TruffleStackTraceElement;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.source.SourceSection;
import dev.rlx.interpreter.diag.CompileErrors;
import dev.rlx.interpreter.diag.Diagnostic;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.runtime.RlxException;
import java.util.List;

/** Turns compile errors and runtime exceptions into the text users see. */
final class ErrorFormatter {
    private ErrorFormatter() {}

    static RlxError wrap(Throwable t) {
        if (t instanceof RlxError e) {
            return e;
        }
        if (t instanceof CompileErrors c) {
            return new RlxError(c.format(), c);
        }
        if (t instanceof RlxException r) {
            return new RlxError(format(r), r);
        }
        if (t instanceof StackOverflowError) {
            return new RlxError("error: recursion too deep (the Java stack overflowed)", t);
        }
        return null;
    }

    private static SourceSection firstGuestCall(RlxException e) {
        List<TruffleStackTraceElement> stack = TruffleStackTrace.getStackTrace(e);
        if (stack == null) {
            return null;
        }
        for (TruffleStackTraceElement frame : stack) {
            Node call = frame.getLocation();
            SourceSection at = call == null ? null : call.getEncapsulatingSourceSection();
            if (at != null && at.isAvailable()) {
                return at;
            }
        }
        return null;
    }

    static String format(RlxException e) {
        Node location = e.getLocation();
        SourceSection section = location == null ? null : location.getEncapsulatingSourceSection();
        List<TruffleStackTraceElement> frames = TruffleStackTrace.getStackTrace(e);
        if (section == null || !section.isAvailable()) {
            // raised inside a builtin (no source of its own): point at the .rlx call that reached it
            section = firstGuestCall(e);
        }
        StringBuilder sb = new StringBuilder();
        if (section != null && section.isAvailable()) {
            Diagnostic d = new Diagnostic(section.getSource().getName(), section.getStartLine(),
                    section.getStartColumn(), section.getStartLine() == section.getEndLine()
                    ? section.getCharLength() : 1, e.getMessage(), e.hint());
            sb.append(d.format(new SourceText(section.getSource().getName(),
                    section.getSource().getCharacters().toString(), null)));
        } else {
            sb.append("error: ").append(e.getMessage());
            if (e.hint() != null) {
                sb.append("\n  hint: ").append(e.hint());
            }
        }
        List<TruffleStackTraceElement> stack = frames;
        if (stack != null) {
            // consecutive identical frames (deep recursion) collapse into one line with a count
            String previous = null;
            int repeats = 0;
            int shown = 0;
            for (TruffleStackTraceElement frame : stack) {
                Node call = frame.getLocation();
                SourceSection at = call == null ? null : call.getEncapsulatingSourceSection();
                String name = frame.getTarget().getRootNode().getName();
                if (at == null || name == null) {
                    continue;
                }
                String line = "\n  at " + name + " (" + at.getSource().getName() + ":" + at.getStartLine() + ":"
                        + at.getStartColumn() + ")";
                if (line.equals(previous)) {
                    repeats++;
                    continue;
                }
                if (repeats > 0) {
                    sb.append("\n  ... (the line above repeats ").append(repeats).append(" more times)");
                    repeats = 0;
                }
                if (shown++ == 20) {
                    sb.append("\n  ...");
                    previous = null;
                    break;
                }
                sb.append(line);
                previous = line;
            }
            if (repeats > 0 && previous != null) {
                sb.append("\n  ... (the line above repeats ").append(repeats).append(" more times)");
            }
        }
        return sb.toString();
    }
}
