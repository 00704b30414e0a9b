package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.RootNode;
import dev.rlx.engine.tensor.TensorException;
import dev.rlx.interpreter.RlxLanguage;
import dev.rlx.interpreter.runtime.RlxException;
import java.util.function.Supplier;

/** Makes a builtin a callable function value; cloneable so each call site gets its own caches. */
final class BuiltinRootNode extends RootNode {
    @Child private BuiltinNode body;
    private final Supplier<BuiltinNode> maker;
    private final String name;

    BuiltinRootNode(RlxLanguage language, Supplier<BuiltinNode> maker, String name) {
        super(language);
        this.maker = maker;
        this.body = maker.get();
        this.name = name;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        try {
            return body.execute(frame);
        } catch (TensorException e) {
            throw tensorError(e);
        }
    }

    /** Engine errors name the op and the shapes; the guest stack adds the .rlx call site. */
    @TruffleBoundary
    private RlxException tensorError(TensorException e) {
        String msg = e.getMessage();
        String prefix = msg.startsWith(name + ":") || msg.startsWith(name + " ") ? "" : name + ": ";
        return new RlxException(prefix + msg, body);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isCloningAllowed() {
        return true;
    }

    @Override
    protected boolean isCloneUninitializedSupported() {
        return true;
    }

    @Override
    protected RootNode cloneUninitialized() {
        return new BuiltinRootNode(getLanguage(RlxLanguage.class), maker, name);
    }

    @Override
    public String toString() {
        return "builtin " + name;
    }
}
