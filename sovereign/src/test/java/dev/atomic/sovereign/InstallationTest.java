package dev.atomic.sovereign;

import dev.atomic.component.ComponentHost;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Images are cut from the class path by the Maven metadata of each entry, whether jars or build directories. */
class InstallationTest {
    @Test
    void aComponentImageHoldsTheSdkAndItsDependenciesOnly() throws Exception {
        List<Path> image = Installation.current().imageOf(ComponentHost.class);
        for (String needed : List.of("component", "bridge", "system")) {
            assertTrue(image.stream().anyMatch(p -> isModule(p, needed)), needed + " missing from " + image);
        }
        assertTrue(image.stream().anyMatch(p -> p.getFileName().toString().startsWith("agrona-")), image.toString());
        for (String unwanted : List.of("sovereign", "vault", "auditor")) {
            assertFalse(image.stream().anyMatch(p -> isModule(p, unwanted)), unwanted + " in " + image);
        }
        assertFalse(image.stream().anyMatch(p -> p.getFileName().toString().startsWith("jackson-")), image.toString());
        assertFalse(image.stream().anyMatch(p -> p.getFileName().toString().startsWith("junit-")), image.toString());
    }

    @Test
    void theSovereignsDependenciesAreFollowedThroughJarsAndBuildDirectories() throws Exception {
        List<Path> image = Installation.current().imageOf(Sovereign.class);
        for (String needed : List.of("sovereign", "vault", "auditor", "component", "bridge", "system")) {
            assertTrue(image.stream().anyMatch(p -> isModule(p, needed)), needed + " missing from " + image);
        }
        assertTrue(image.stream().anyMatch(p -> p.getFileName().toString().startsWith("jackson-core-")),
                "jackson-databind's own dependency was not followed: " + image);
    }

    /** A module's entry: its build directory, or its jar. */
    private static boolean isModule(Path entry, String module) {
        return entry.toString().endsWith("/" + module + "/target/classes")
                || entry.getFileName().toString().startsWith("atomic-" + module + "-");
    }
}
