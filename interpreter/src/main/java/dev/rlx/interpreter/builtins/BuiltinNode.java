package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.GenerateNodeFactory;
import com.oracle.truffle.api.dsl.NodeChild;
import dev.rlx.interpreter.nodes.DispatchNode;
import dev.rlx.interpreter.nodes.RlxNode;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.Types;

/**
 * Base of all builtins: one subclass per builtin, with typed specializations over its arguments and
 * a fallback that raises a type error naming the builtin and the argument types.
 */
@GenerateNodeFactory
@NodeChild(value = "arguments", type = RlxNode[].class)
public abstract class BuiltinNode extends RlxNode {
    /** For builtins that call function values (map, filter, fold): a call site with n positional arguments. */
    protected static DispatchNode positional(int n) {
        return DispatchNode.positional(n);
    }

    protected final String builtinName() {
        return getClass().getSuperclass().getAnnotation(Builtin.class) != null
                ? getClass().getSuperclass().getAnnotation(Builtin.class).value().replaceAll("\\(.*", "")
                : getClass().getSimpleName();
    }

    @TruffleBoundary
    protected final RlxException typeError(Object... args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(Types.name(args[i]));
        }
        Builtin b = getClass().getSuperclass().getAnnotation(Builtin.class);
        return new RlxException(builtinName() + "() does not accept (" + sb + ")",
                b == null ? null : "signature: " + b.value(), this);
    }

    @TruffleBoundary
    protected final RlxException error(String message) {
        return new RlxException(builtinName() + ": " + message, this);
    }
}
