package dev.rlx.interpreter.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;

/** The user-facing names of value types, as used in error messages and `:type`. */
public final class Types {
    private Types() {}

    @TruffleBoundary
    public static String name(Object value) {
        if (value instanceof Long) {
            return "int";
        } else if (value instanceof Double) {
            return "float";
        } else if (value instanceof Boolean) {
            return "bool";
        } else if (value instanceof String) {
            return "string";
        } else if (value == RlxNone.INSTANCE) {
            return "none";
        } else if (value instanceof RlxList) {
            return "list";
        } else if (value instanceof RlxRecord r) {
            return r.tag() == null ? "record" : r.tag() + " record";
        } else if (value instanceof RlxReward) {
            return "reward";
        } else if (value instanceof RlxFunction) {
            return "function";
        } else if (value instanceof RlxModule) {
            return "module";
        } else if (value instanceof EngineValue e) {
            return e.typeName();
        }
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
