package dev.rlx.interpreter.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.exception.AbstractTruffleException;
import com.oracle.truffle.api.nodes.Node;

/**
 * A runtime error in a script: names the operation and operand types; the location is the node that
 * raised it, and Truffle records the guest stack (see {@code dev.rlx.interpreter.api.ErrorFormatter}).
 */
public class RlxException extends AbstractTruffleException {
    private static final long serialVersionUID = 1L;
    private final String hint;

    @TruffleBoundary
    public RlxException(String message, Node location) {
        this(message, null, location);
    }

    @TruffleBoundary
    public RlxException(String message, String hint, Node location) {
        super(message, location);
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }

    /** `op: unsupported operand types int and string` with the offending values' type names. */
    @TruffleBoundary
    public static RlxException typeError(Node location, String op, Object... operands) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < operands.length; i++) {
            if (i > 0) {
                sb.append(i == operands.length - 1 ? " and " : ", ");
            }
            sb.append(Types.name(operands[i]));
        }
        String what = operands.length == 1 ? "operand type " : "operand types ";
        return new RlxException("'" + op + "' does not support " + what + sb, location);
    }
}
