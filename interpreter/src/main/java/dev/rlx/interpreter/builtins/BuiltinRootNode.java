package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.RootNode;
import dev.rlx.interpreter.RlxLanguage;

/** Makes a builtin a callable function value; cloneable so each call site gets its own caches. */
final class BuiltinRootNode extends RootNode {
    @Child private BuiltinNode body;
    private final java.util.function.Supplier<BuiltinNode> maker;
    private final String name;

    BuiltinRootNode(RlxLanguage language, java.util.function.Supplier<BuiltinNode> maker, String name) {
        super(language);
        this.maker = maker;
        this.body = maker.get();
        this.name = name;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        return body.execute(frame);
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
