package dev.rlx.interpreter.experiment;

import dev.rlx.interpreter.api.FunctionHandle;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.diag.Diagnostic;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.Types;
import dev.rlx.interpreter.tensor.TensorValue;
import java.time.Duration;
import java.util.Arrays;

/**
 * Errors about a script function the engine calls (what it returned, how many parameters it takes),
 * located at the function: `file:line:col: message`, the line with a caret under the function's start.
 */
final class FunctionErrors {
    private FunctionErrors() {}

    /**
     * A handle calling {@code fn} with one argument ({@code argument}: what the engine passes); a function
     * that cannot take it is an error at the function, naming its {@code role}.
     */
    static FunctionHandle oneArgument(RlxSession session, RlxFunction fn, String role, String argument,
            Duration limit, String limitName) {
        try {
            return session.handle(fn, 1, limit, limitName);
        } catch (IllegalArgumentException e) {
            throw at(fn, role + " is called with one argument (" + argument + "), but its signature is "
                    + fn.signature());
        }
    }

    /** A value as the error messages name it: `a float`, `a tensor of shape [16, 3]`. */
    static String describe(Object v) {
        return v instanceof TensorValue t ? "a tensor of shape " + Arrays.toString(t.tensor().shape())
                : SchemaLiteralCheck.article(Types.name(v));
    }

    static RlxError at(RlxFunction fn, String message) {
        var section = fn.callTarget().getRootNode().getSourceSection();
        if (section == null || !section.isAvailable()) {
            return new RlxError("error: " + message, null);
        }
        String name = section.getSource().getName();
        int width = section.getStartLine() == section.getEndLine() ? section.getCharLength() : 1;
        Diagnostic d = new Diagnostic(name, section.getStartLine(), section.getStartColumn(), width, message, null);
        return new RlxError(d.format(new SourceText(name, section.getSource().getCharacters().toString(), null)), null);
    }
}
