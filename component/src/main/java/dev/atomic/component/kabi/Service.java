package dev.atomic.component.kabi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Java interface as the binding of a service interface (docs/kabi.md): its name and the newest version the
 * interface describes. Each of its methods carries {@link Method}. A later version may extend the interface of an
 * earlier one: versions are append-only.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Service {
    String name();

    int version();
}
