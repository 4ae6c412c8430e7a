package dev.atomic.component.kabi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One method of a {@link Service} interface: its id on the wire, the version that added it and, for a method added
 * after version 1 that returns a value, the result a caller gets when the provider is older than that version.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Method {
    /** {@link #defaultResult()} when none is declared. */
    String NONE = "\u0000none";

    int id();

    int since() default 1;

    /** The default result, written as in the IDL: {@code 0}, {@code true}, or text (for string and bytes). */
    String defaultResult() default NONE;

    /**
     * Calling it twice has the effect of calling it once (a read, a set to a value): a call under way when its
     * provider dies is replayed to the restarted provider. Any other call under way then fails, saying so.
     */
    boolean idempotent() default false;
}
