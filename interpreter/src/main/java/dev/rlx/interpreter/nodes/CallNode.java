package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;

/** `f(a, b, name: c)`: evaluates the callee and arguments left to right, then dispatches. */
public final class CallNode extends RlxNode {
    @Child private RlxNode callee;
    @Children private final RlxNode[] arguments;
    @Child private DispatchNode dispatch;

    public CallNode(RlxNode callee, RlxNode[] arguments, String[] argNames) {
        this.callee = callee;
        this.arguments = arguments;
        this.dispatch = DispatchNode.create(argNames);
    }

    @Override
    @ExplodeLoop
    public Object execute(VirtualFrame frame) {
        Object fn = callee.execute(frame);
        Object[] values = new Object[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            values[i] = arguments[i].execute(frame);
        }
        return dispatch.execute(fn, values);
    }
}
