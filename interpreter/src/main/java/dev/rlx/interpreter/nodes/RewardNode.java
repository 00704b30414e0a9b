package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.frame.VirtualFrame;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxReward;
import dev.rlx.interpreter.runtime.Types;

/** `reward name = expr`: the value must be a function of one sample (named after the declaration) or a reward. */
public final class RewardNode extends RlxNode {
    private final String name;
    @Child private RlxNode value;

    public RewardNode(String name, RlxNode value) {
        this.name = name;
        this.value = value;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        Object v = value.execute(frame);
        if (v instanceof RlxFunction f) {
            return RlxReward.named(name, f);
        }
        if (v instanceof RlxReward r) {
            return r.isSingle() ? RlxReward.named(name, r.terms().get(0).function()) : r;
        }
        throw new RlxException("reward '" + name + "' must be a function of one sample or a reward, got "
                + Types.name(v), this);
    }
}
