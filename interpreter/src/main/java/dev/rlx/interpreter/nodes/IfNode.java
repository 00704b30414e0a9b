package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.profiles.CountingConditionProfile;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.Types;

/** `if c then a else b`; the condition must be a bool (no truthiness). */
public final class IfNode extends RlxNode {
    @Child private RlxNode condition;
    @Child private RlxNode thenBranch;
    @Child private RlxNode elseBranch;
    private final CountingConditionProfile profile = CountingConditionProfile.create();

    public IfNode(RlxNode condition, RlxNode thenBranch, RlxNode elseBranch) {
        this.condition = condition;
        this.thenBranch = thenBranch;
        this.elseBranch = elseBranch;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        return profile.profile(executeCondition(frame)) ? thenBranch.execute(frame) : elseBranch.execute(frame);
    }

    private boolean executeCondition(VirtualFrame frame) {
        Object c = condition.execute(frame);
        if (c instanceof Boolean b) {
            return b;
        }
        throw new RlxException("'if' needs a bool condition, got " + Types.name(c), condition);
    }
}
