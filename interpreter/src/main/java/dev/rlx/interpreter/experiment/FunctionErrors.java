package dev.rlx.interpreter.experiment;

import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.runtime.RlxFunction;

/** Errors about what a script function returned, located at the function (`file:line:col: message`). */
final class FunctionErrors {
    private FunctionErrors() {}

    static RlxError at(RlxFunction fn, String message) {
        var section = fn.callTarget().getRootNode().getSourceSection();
        String where = section == null ? "error: " : section.getSource().getName() + ":" + section.getStartLine() + ":"
                + section.getStartColumn() + ": ";
        return new RlxError(where + message, null);
    }
}
