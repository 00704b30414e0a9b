package dev.rlx.interpreter.runtime;

import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.frame.MaterializedFrame;

/**
 * A function value: a declared function, a lambda (with the frame it closes over), or a builtin.
 * Calls pass {@code [enclosingFrame, arg0, ..., argN-1]}; unpassed optional arguments are {@link Missing}.
 */
public final class RlxFunction {
    private final Signature signature;
    private final RootCallTarget callTarget;
    private final MaterializedFrame enclosing;
    private final String doc;
    private final boolean builtin;

    public RlxFunction(Signature signature, RootCallTarget callTarget, MaterializedFrame enclosing, String doc,
                       boolean builtin) {
        this.signature = signature;
        this.callTarget = callTarget;
        this.enclosing = enclosing;
        this.doc = doc;
        this.builtin = builtin;
    }

    public Signature signature() {
        return signature;
    }

    public RootCallTarget callTarget() {
        return callTarget;
    }

    public MaterializedFrame enclosing() {
        return enclosing;
    }

    public String doc() {
        return doc;
    }

    public boolean isBuiltin() {
        return builtin;
    }

    public String name() {
        return signature.name();
    }

    @Override
    public String toString() {
        return "<function " + signature + ">";
    }
}
