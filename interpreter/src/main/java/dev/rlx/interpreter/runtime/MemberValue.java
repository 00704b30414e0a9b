package dev.rlx.interpreter.runtime;

import java.util.Collection;

/** An engine value with named members readable as `x.name` (e.g. `t.shape`). */
public interface MemberValue {
    /** The member's value, or null when there is none. */
    Object member(String name);

    Collection<String> memberNames();
}
