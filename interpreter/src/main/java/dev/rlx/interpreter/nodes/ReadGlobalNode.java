package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.frame.VirtualFrame;
import dev.rlx.interpreter.runtime.GlobalCell;

/** Reads a top-level binding of a module; compiled code sees a constant once the cell is computed. */
public final class ReadGlobalNode extends RlxNode {
    private final GlobalCell cell;

    public ReadGlobalNode(GlobalCell cell) {
        this.cell = cell;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        return cell.get(this);
    }
}
