package dev.atomic.console;

import dev.atomic.component.SystemProvider;
import dev.atomic.component.SystemSpec;

import java.util.Optional;

/** The system {@code FuseEndToEndTest} boots, from a directory of manifests: the FUSE driver alone. */
public final class FuseSystems implements SystemProvider {
    static final String NAME = "fuse";

    @Override
    public Optional<SystemSpec> system(String name) {
        return ManifestSystems.ifAsked(name, FuseSystems.class, NAME);
    }
}
