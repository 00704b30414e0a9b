package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import dev.rlx.interpreter.runtime.RlxList;

/** `[a, b, c]`. */
public final class ListNode extends RlxNode {
    @Children private final RlxNode[] items;

    public ListNode(RlxNode[] items) {
        this.items = items;
    }

    @Override
    @ExplodeLoop
    public Object execute(VirtualFrame frame) {
        Object[] values = new Object[items.length];
        for (int i = 0; i < items.length; i++) {
            values[i] = items[i].execute(frame);
        }
        return new RlxList(values);
    }
}
