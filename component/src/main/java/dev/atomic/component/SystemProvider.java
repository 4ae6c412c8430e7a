package dev.atomic.component;

import java.util.Optional;

/**
 * Supplies systems beyond the built-in ones, found with {@link java.util.ServiceLoader} on the class path
 * ({@code META-INF/services/dev.atomic.component.SystemProvider}): how tests and benchmarks boot systems of their own.
 */
public interface SystemProvider {
    Optional<SystemSpec> system(String name);
}
