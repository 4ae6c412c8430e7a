package dev.atomic.sovereign;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Image;
import dev.atomic.component.Kernel;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.StateKind;
import dev.atomic.component.SystemSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A release is cut from the installation: an image a manifest places elsewhere stops the boot, saying why. */
class VaultBootImagesTest {
    private static SystemSpec systemOf(Image image) {
        return new SystemSpec("elsewhere", List.of(new ComponentSpec("probe", Kernel.DAK, "driver", image, List.of(),
                List.of(), 64 << 20, 16, 100, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS,
                SandboxGrants.NONE, 2)));
    }

    @Test
    void anExecutableOrAJarOutsideTheInstallationIsNotReleased() {
        for (Image image : List.of(Image.exec("/opt/probe/bin/probe", List.of()),
                new Image(Image.Kind.JAVA, "dev.atomic.demo.EchoService", "/opt/probe/probe.jar", List.of()))) {
            IOException e = assertThrows(IOException.class,
                    () -> VaultBoot.installedImages(systemOf(image), Installation.current()));
            assertEquals("probe's image (" + image + ") is outside the installation: releases hold only Java "
                    + "components from the installation's class path so far", e.getMessage());
        }
    }
}
