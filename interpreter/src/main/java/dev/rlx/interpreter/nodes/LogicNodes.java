package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.profiles.CountingConditionProfile;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.Types;

/** `and`, `or` (short-circuit) and `not`, on bools only. */
public final class LogicNodes {
    private LogicNodes() {}

    static boolean asBool(Object v, String op, RlxNode where) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw new RlxException("'" + op + "' needs bool operands, got " + Types.name(v), where);
    }

    public static final class AndNode extends RlxNode {
        @Child private RlxNode left;
        @Child private RlxNode right;
        private final CountingConditionProfile profile = CountingConditionProfile.create();

        public AndNode(RlxNode left, RlxNode right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            if (!profile.profile(asBool(left.execute(frame), "and", left))) {
                return false;
            }
            return asBool(right.execute(frame), "and", right);
        }
    }

    public static final class OrNode extends RlxNode {
        @Child private RlxNode left;
        @Child private RlxNode right;
        private final CountingConditionProfile profile = CountingConditionProfile.create();

        public OrNode(RlxNode left, RlxNode right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            if (profile.profile(asBool(left.execute(frame), "or", left))) {
                return true;
            }
            return asBool(right.execute(frame), "or", right);
        }
    }

    public static final class NotNode extends RlxNode {
        @Child private RlxNode operand;

        public NotNode(RlxNode operand) {
            this.operand = operand;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            return !asBool(operand.execute(frame), "not", operand);
        }
    }
}
