package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.frame.Frame;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import dev.rlx.interpreter.runtime.RlxException;

/**
 * Reads a parameter or `let` binding. {@code depth} counts the lambdas between the use and the
 * binding: each closure's frame keeps its creator's frame in argument 0.
 */
public final class ReadLocalNode extends RlxNode {
    private final int depth;
    private final int slot;
    private final String name;

    public ReadLocalNode(int depth, int slot, String name) {
        this.depth = depth;
        this.slot = slot;
        this.name = name;
    }

    @Override
    @ExplodeLoop
    public Object execute(VirtualFrame frame) {
        Frame f = frame;
        for (int i = 0; i < depth; i++) {
            f = (Frame) f.getArguments()[0];
        }
        Object v = f.getObject(slot);
        if (v == null) {
            // only possible for a `let` binding read by an earlier binding's function before it is set
            throw new RlxException("'" + name + "' is used before it is defined", this);
        }
        return v;
    }
}
