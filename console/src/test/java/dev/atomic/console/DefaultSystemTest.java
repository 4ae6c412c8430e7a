package dev.atomic.console;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Manifest;
import dev.atomic.component.SystemSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The default system's drivers are the drivers' own manifests: the component module, which every Atomic process
 * reads the default system from, depends on no driver, so it holds copies, which must not drift.
 */
class DefaultSystemTest {
    @Test
    void theDefaultSystemsDriversAreAsTheirModulesShipThem() throws IOException {
        SystemSpec system = SystemSpec.builtIn("default");
        for (String driver : new String[]{"fs", "input", "sensor"}) {
            String resource = "dev/atomic/drivers/" + driver + "/" + driver + ".toml";
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
                assertNotNull(in, resource);
                ComponentSpec shipped = Manifest.parse(driver + ".toml", new String(in.readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8), null).component();
                assertEquals(shipped, system.component(driver).orElseThrow(), driver);
            }
        }
    }
}
