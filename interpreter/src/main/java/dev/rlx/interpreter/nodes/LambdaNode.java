package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.frame.VirtualFrame;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.Signature;

/** Creates a closure over the current frame (lambdas and `let` functions). */
public final class LambdaNode extends RlxNode {
    private final Signature signature;
    private final RootCallTarget target;
    private final String doc;

    public LambdaNode(Signature signature, RootCallTarget target, String doc) {
        this.signature = signature;
        this.target = target;
        this.doc = doc;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        return new RlxFunction(signature, target, frame.materialize(), doc, false);
    }
}
