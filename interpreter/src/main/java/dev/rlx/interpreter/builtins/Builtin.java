package dev.rlx.interpreter.builtins;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Declares a builtin's signature (`"clamp(x, lo, hi)"`, defaults as literals) and its doc line. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Builtin {
    String value();

    String doc();
}
