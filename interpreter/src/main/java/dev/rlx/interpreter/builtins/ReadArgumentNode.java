package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.frame.VirtualFrame;
import dev.rlx.interpreter.nodes.RlxNode;
import dev.rlx.interpreter.runtime.Missing;

/** A builtin's argument: the caller's value, or the declared default when the caller left it out. */
final class ReadArgumentNode extends RlxNode {
    private final int index;
    private final Object defaultValue;

    ReadArgumentNode(int index, Object defaultValue) {
        this.index = index;
        this.defaultValue = defaultValue;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        Object v = frame.getArguments()[index + 1];
        return v == Missing.INSTANCE ? defaultValue : v;
    }
}
