package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.frame.VirtualFrame;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.Types;

/**
 * `experiment name = expr`: the value must be a `train { ... }` (RL) or `preference { ... }` (offline preference)
 * record, usually returned by a recipe.
 */
public final class ExperimentNode extends RlxNode {
    private final String name;
    @Child private RlxNode value;

    public ExperimentNode(String name, RlxNode value) {
        this.name = name;
        this.value = value;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        Object v = value.execute(frame);
        if (v instanceof RlxRecord r && ("train".equals(r.tag()) || "preference".equals(r.tag()))) {
            return v;
        }
        throw new RlxException("experiment '" + name + "' must be a train { ... } or preference { ... } record, got "
                + Types.name(v),
                "write `experiment " + name + " = train { policy: ..., data: ..., ... }` or call a recipe", this);
    }
}
