package dev.rlx.interpreter.resolve;

import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.FrameSlotKind;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The locals of one function body (parameters and `let` bindings) as frame slots, with nested
 * blocks for `let`. {@code parent} is the enclosing function of a lambda; reaching into it costs one
 * frame hop per level at run time.
 */
final class Scope {
    final Scope parent;
    final FrameDescriptor.Builder frame = FrameDescriptor.newBuilder();
    private final Deque<Map<String, Integer>> blocks = new ArrayDeque<>();

    Scope(Scope parent) {
        this.parent = parent;
        blocks.push(new HashMap<>());
    }

    int declare(String name) {
        int slot = frame.addSlot(FrameSlotKind.Object, name, null);
        blocks.peek().put(name, slot);
        return slot;
    }

    void enterBlock() {
        blocks.push(new HashMap<>());
    }

    void exitBlock() {
        blocks.pop();
    }

    /** {depth, slot} of the innermost binding of {@code name}, or null. */
    int[] lookup(String name) {
        int depth = 0;
        for (Scope s = this; s != null; s = s.parent, depth++) {
            for (Map<String, Integer> block : s.blocks) {
                Integer slot = block.get(name);
                if (slot != null) {
                    return new int[] {depth, slot};
                }
            }
        }
        return null;
    }

    Set<String> visibleNames() {
        Set<String> out = new LinkedHashSet<>();
        for (Scope s = this; s != null; s = s.parent) {
            for (Map<String, Integer> block : s.blocks) {
                out.addAll(block.keySet());
            }
        }
        return out;
    }
}
