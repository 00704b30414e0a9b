package dev.rlx.interpreter.runtime;

import java.util.Collection;

/** An engine value with named members readable as `x.name` (e.g. `t.shape`). */
public interface MemberValue {
    /** The member's value, or null when there is none; may throw {@link Unavailable}. */
    Object member(String name);

    Collection<String> memberNames();

    /**
     * Thrown by {@link #member} for a member that exists but has no value here (`b.ref_logp` in an experiment
     * that keeps no reference): the member read reports it at its position in the script, with the hint.
     */
    final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String hint;

        public Unavailable(String message, String hint) {
            super(message, null, false, false);
            this.hint = hint;
        }

        public String hint() {
            return hint;
        }
    }
}
