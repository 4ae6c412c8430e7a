package dev.atomic.engine;

import dev.atomic.vault.ClassPathImage;
import dev.atomic.vault.Keys;
import dev.atomic.vault.Layer;
import dev.atomic.vault.ReleaseManifest;
import dev.atomic.vault.Vault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Engine's check of the Sovereign, against real processes: a JVM whose class path is exactly the signed
 * sovereign image passes; one extra jar, or one changed file, and the check names it.
 */
class SovereignCheckTest {
    /** The stand-in Sovereign: a JVM that only waits. */
    public static final class Waiter {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(TimeUnit.MINUTES.toMillis(1));
        }
    }

    @TempDir
    Path dir;

    private Path image;
    private Path vaultDir;
    private Process sovereign;

    @BeforeEach
    void signAnImage() throws Exception {
        image = Files.createDirectories(dir.resolve("image"));
        Path own = Path.of(Waiter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path cls = own.resolve(Waiter.class.getName().replace('.', '/') + ".class");
        Files.copy(cls, Files.createDirectories(image.resolve("dev/atomic/engine")).resolve(cls.getFileName()));
        Files.writeString(image.resolve("settings.txt"), "as signed");
        vaultDir = dir.resolve("vault");
        Vault vault = Vault.init(vaultDir);
        Keys.KeyFiles keys = Keys.keygen(dir, "release");
        vault.trustStore().trust("release", Keys.readPublic(keys.publicKey()));
        List<ClassPathImage.Placed> placed = new ClassPathImage(Layer.SOVEREIGN.label()).describe(List.of(image),
                Layer.SOVEREIGN, "sovereign", new HashMap<>());
        for (ClassPathImage.Placed p : placed) {
            vault.add(p.source());
        }
        vault.releases().publish(ReleaseManifest.of("r1", Instant.now(), placed.stream()
                .map(ClassPathImage.Placed::entry).toList()), Keys.readPrivate(keys.privateKey()),
                Keys.readPublic(keys.publicKey()));
    }

    @AfterEach
    void stop() {
        if (sovereign != null) {
            sovereign.toHandle().destroyForcibly();
        }
    }

    private List<String> checkProcessRunning(String classPath) throws Exception {
        sovereign = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp", classPath,
                Waiter.class.getName()).start();
        return SovereignCheck.problems(sovereign.pid(), vaultDir, "r1");
    }

    @Test
    void aSovereignRunningExactlyTheSignedImagePasses() throws Exception {
        assertEquals(List.of(), checkProcessRunning(image.toString()));
    }

    @Test
    void anExtraJarOnItsClassPathIsNamed() throws Exception {
        Path planted = Files.writeString(dir.resolve("planted.jar"), "not signed");
        List<String> problems = checkProcessRunning(image + ":" + planted);
        assertEquals(List.of(planted + " is not part of release 'r1'"), problems);
    }

    @Test
    void aChangedFileOfItsImageIsNamed() throws Exception {
        Files.writeString(image.resolve("settings.txt"), "changed");
        List<String> problems = checkProcessRunning(image.toString());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().startsWith(image.resolve("settings.txt") + " hashes to "), problems.toString());
    }

    @Test
    void wildcardsAreExpandedAsTheJavaLauncherDoes() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("a.jar"), "a");
        sovereign = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                image + ":" + lib + "/*", Waiter.class.getName()).start();
        assertEquals(List.of(image.toAbsolutePath().normalize(), lib.resolve("a.jar")),
                SovereignCheck.classPathOf(sovereign.pid()));
    }
}
