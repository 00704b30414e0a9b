package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.TruffleSafepoint;
import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.source.SourceSection;
import dev.rlx.interpreter.RlxContext;
import dev.rlx.interpreter.RlxLanguage;
import dev.rlx.interpreter.runtime.Missing;
import dev.rlx.interpreter.runtime.RlxException;

/**
 * The body of a function, lambda or top-level initializer. The prologue copies arguments into frame
 * slots, evaluating defaults (in the callee's frame, so they may use earlier parameters) for the
 * ones the caller left out. Every entry counts towards the recursion limit and polls safepoints, which
 * is how a time limit cancels a runaway call.
 */
public final class FunctionRootNode extends RootNode {
    private final String name;
    private final SourceSection section;
    @Children private final RlxNode[] defaults;
    @Child private RlxNode body;

    public FunctionRootNode(RlxLanguage language, FrameDescriptor frame, String name, SourceSection section,
                            RlxNode[] defaults, RlxNode body) {
        super(language, frame);
        this.name = name;
        this.section = section;
        this.defaults = defaults;
        this.body = body;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        TruffleSafepoint.poll(this);
        RlxContext context = RlxContext.get(this);
        if (++context.callDepth > context.maxCallDepth) {
            context.callDepth = 0;
            throw new RlxException("recursion too deep in '" + name + "' (more than " + context.maxCallDepth
                    + " nested calls)", "check the recursion's base case", body);
        }
        try {
            bindParameters(frame);
            return body.execute(frame);
        } finally {
            context.callDepth--;
        }
    }

    @ExplodeLoop
    private void bindParameters(VirtualFrame frame) {
        Object[] args = frame.getArguments();
        for (int i = 0; i < defaults.length; i++) {
            Object a = args[i + 1];
            if (a == Missing.INSTANCE) {
                a = defaults[i].execute(frame);
            }
            frame.setObject(i, a);
        }
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public SourceSection getSourceSection() {
        return section;
    }

    @Override
    public String toString() {
        return name;
    }
}
