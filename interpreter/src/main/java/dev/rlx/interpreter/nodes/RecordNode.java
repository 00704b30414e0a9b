package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import dev.rlx.interpreter.runtime.RlxRecord;

/** `{a: 1, b: 2}` and `tag { ... }`: every record from this literal shares one shape. */
public final class RecordNode extends RlxNode {
    private final RlxRecord.Shape shape;
    @Children private final RlxNode[] values;

    public RecordNode(RlxRecord.Shape shape, RlxNode[] values) {
        this.shape = shape;
        this.values = values;
    }

    @Override
    @ExplodeLoop
    public Object execute(VirtualFrame frame) {
        Object[] v = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            v[i] = values[i].execute(frame);
        }
        return new RlxRecord(shape, v);
    }
}
