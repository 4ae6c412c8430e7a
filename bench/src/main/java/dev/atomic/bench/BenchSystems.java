package dev.atomic.bench;

import dev.atomic.component.SystemProvider;
import dev.atomic.component.SystemSpec;

import java.util.Optional;

/**
 * Supplies the systems {@link BenchSystem}, {@link CarvingSystem}, {@link FailoverSystem}, {@link IdleSystem},
 * {@link RecoverySystem}, {@link StormSystem} and {@link FuseSystem} name to every Atomic
 * process of a measured boot.
 */
public final class BenchSystems implements SystemProvider {
    @Override
    public Optional<SystemSpec> system(String name) {
        return BenchSystem.parse(name).map(BenchSystem::spec)
                .or(() -> CarvingSystem.parse(name).map(CarvingSystem::spec))
                .or(() -> FailoverSystem.parse(name))
                .or(() -> IdleSystem.parse(name).map(IdleSystem::spec))
                .or(() -> RecoverySystem.parse(name))
                .or(() -> StormSystem.parse(name))
                .or(() -> FuseSystem.parse(name));
    }
}
