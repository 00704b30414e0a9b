package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;

/** `let a = ..., b = ... in body`: bindings are evaluated in order into frame slots. */
public final class LetNode extends RlxNode {
    @Children private final WriteLocalNode[] bindings;
    @Child private RlxNode body;

    public LetNode(WriteLocalNode[] bindings, RlxNode body) {
        this.bindings = bindings;
        this.body = body;
    }

    @Override
    @ExplodeLoop
    public Object execute(VirtualFrame frame) {
        for (WriteLocalNode b : bindings) {
            b.execute(frame);
        }
        return body.execute(frame);
    }
}
