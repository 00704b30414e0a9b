package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.frame.VirtualFrame;

/** Stores a `let` binding or parameter in its frame slot. */
public final class WriteLocalNode extends RlxNode {
    private final int slot;
    @Child private RlxNode value;

    public WriteLocalNode(int slot, RlxNode value) {
        this.slot = slot;
        this.value = value;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        Object v = value.execute(frame);
        frame.setObject(slot, v);
        return v;
    }
}
