package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.frame.VirtualFrame;

/** A constant: a literal, a builtin function, an imported module. */
public final class LiteralNode extends RlxNode {
    private final Object value;

    public LiteralNode(Object value) {
        this.value = value;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        return value;
    }

    public Object value() {
        return value;
    }
}
