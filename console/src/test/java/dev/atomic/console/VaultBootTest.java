package dev.atomic.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Booting from the Maintenance Vault, on real boots: the first boot turns the installation into a signed release and
 * runs every process from its deployed image; a later boot repairs deployed files from the Vault, and boots without a
 * component no intact copy of which exists; a Sovereign that runs other code than the release restarts itself from
 * the release's image; and the Sovereign repairs an Engine image changed under it before starting the next Engine.
 * (The Engine's own check of the Sovereign is {@code SovereignCheckTest}.)
 */
class VaultBootTest {
    private static final Duration BOOT = RunningAtomic.BOOT;

    @TempDir
    Path home;

    @Test
    void firstBootMakesARelease_laterBootsRepairFromTheVault_andRefuseWhatCannotBeRepaired() throws Exception {
        String instance = "test-vault-" + ProcessHandle.current().pid();
        String release;
        try (RunningAtomic atomic = new RunningAtomic(instance, home)) {
            atomic.await("made the local signing key", BOOT);
            release = atomic.await("made release '(\\S+)' from the installation", BOOT).group(1);
            atomic.await("vault .*release '" + release + "', signed by key 'local'.*0 repaired, 0 unrepairable", BOOT);
            atomic.await("^ready in \\d+ ms", BOOT);
            stop(atomic);
        }
        Path root = home.resolve("deploy").resolve(release);
        String demoApp = imageFile(root, "dak/demo-app", "dev/atomic/demo/DemoApp.class");
        String engine = imageFile(root, "engine", "dev/atomic/engine/EngineMain.class");

        // One flipped bit and one deleted file: the next boot puts both back and says so.
        flipBit(root.resolve(demoApp));
        Files.delete(root.resolve(engine));
        try (RunningAtomic atomic = new RunningAtomic(instance, home)) {
            atomic.await("vault .*release '" + release + "'.*2 repaired, 0 unrepairable", BOOT);
            atomic.await("repaired +" + Pattern.quote(demoApp) + " \\(demo-app\\): altered", BOOT);
            atomic.await("repaired +" + Pattern.quote(engine) + " \\(engine\\): missing", BOOT);
            atomic.await("dak .*demo-app ready", BOOT);
            atomic.await("^ready in \\d+ ms", BOOT);
            stop(atomic);
        }

        // The Vault's own copy is corrupt too: the demo app does not start, the rest of the system does.
        String hash = sha256(root.resolve(demoApp));
        flipBit(home.resolve("vault/objects").resolve(hash.substring(0, 2)).resolve(hash));
        flipBit(root.resolve(demoApp));
        try (RunningAtomic atomic = new RunningAtomic(instance, home)) {
            atomic.await("vault .*release '" + release + "'.*0 repaired, 1 unrepairable", BOOT);
            atomic.await("unrepairable +" + Pattern.quote(demoApp) + " \\(demo-app\\): .*no intact copy", BOOT);
            // Every component is ordered started at once: the refusal comes before the kernels are up.
            atomic.await("could not start demo-app \\(dak\\): its image failed the boot audit", BOOT);
            atomic.await("services .*echo ready", BOOT);
            atomic.await("dak .*demo-app NOT started", BOOT);
            stop(atomic);
            assertFalse(atomic.transcript().contains("demo-app ready"), atomic.transcript());
        }
    }

    @Test
    void aVaultAnyoneCouldReplaceIsRefusedInOneLine() throws Exception {
        Path open = Files.createDirectory(home.resolve("open"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path inside = Files.createDirectory(open.resolve("atomic"));
        try (RunningAtomic atomic = new RunningAtomic("test-open-" + ProcessHandle.current().pid(), inside)) {
            atomic.await("boot failed: no release to boot: Vault \\S+ lies in " + Pattern.quote(open.toString())
                    + ", which is writable by others \\(mode 0777\\) without the sticky bit", BOOT);
            assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS), "Atomic did not stop:\n" + atomic.transcript());
            assertEquals(1, atomic.process.exitValue());
            assertFalse(atomic.transcript().contains("\tat dev.atomic"), "a stack trace:\n" + atomic.transcript());
        }
    }

    @Test
    void aSovereignRunningOtherCodeThanTheReleaseRestartsItselfFromTheReleasesImage() throws Exception {
        String instance = "test-vault-s-" + ProcessHandle.current().pid();
        String release;
        try (RunningAtomic atomic = new RunningAtomic(instance, home)) {
            release = atomic.await("made release '(\\S+)' from the installation", BOOT).group(1);
            atomic.await("^ready in \\d+ ms", BOOT);
            stop(atomic);
        }
        // The same installation plus one jar the release never named, booted as exactly that release.
        Path planted = Files.createDirectories(home.resolve("planted")).resolve("extra.jar");
        Files.copy(Path.of(org.agrona.DirectBuffer.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                planted);
        try (RunningAtomic atomic = new RunningAtomic(System.getProperty("java.class.path") + ":" + planted, instance,
                home, "--release", release)) {
            long pid = Long.parseLong(atomic.await("Sovereign pid (\\d+)\\)", BOOT).group(1));
            atomic.await("booting release '" + release + "' as asked", BOOT);
            atomic.await("the Sovereign runs other code than release '" + release + "' names \\(1 difference\\(s\\), "
                    + "e.g. " + Pattern.quote(planted.toString()) + " is not part of release .*: restarting itself from "
                    + "the release's image", BOOT);
            assertEquals(pid, Long.parseLong(atomic.await("Sovereign pid (\\d+)\\)", BOOT).group(1)),
                    "execve keeps the pid");
            atomic.await("^ready in \\d+ ms", BOOT);
            List<String> argv = List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
            for (String entry : argv.get(argv.indexOf("-cp") + 1).split(":")) {
                assertTrue(entry.startsWith(home.resolve("deploy").resolve(release).resolve("sovereign") + "/"),
                        "the Sovereign runs " + entry);
            }
            stop(atomic);
        }
    }

    @Test
    void theSovereignRepairsAnEngineImageChangedUnderItBeforeStartingTheNextEngine() throws Exception {
        String instance = "test-vault-e-" + ProcessHandle.current().pid();
        try (RunningAtomic atomic = new RunningAtomic(instance, home)) {
            String release = atomic.await("made release '(\\S+)' from the installation", BOOT).group(1);
            long engine = Long.parseLong(atomic.await("engine .* pid (\\d+), attached", BOOT).group(1));
            atomic.await("^ready in \\d+ ms", BOOT);
            atomic.await("the standby Engine \\(pid \\d+\\) is warm and waiting", BOOT); // started once ready
            Path root = home.resolve("deploy").resolve(release);
            String engineFile = imageFile(root, "engine", "dev/atomic/engine/EngineMain.class");
            Path engineClass = root.resolve(engineFile);
            String good = sha256(engineClass);
            flipBit(engineClass);

            // The standby was verified when it started: it takes over; the next standby must not start tampered.
            assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(engine)).start().waitFor());
            atomic.await("the warm standby \\(pid \\d+\\) took over", BOOT);
            atomic.await("the Engine's image changed while Atomic ran \\(.*" + Pattern.quote(engineFile)
                    + " hashes to .*\\); repairing it from the Vault", BOOT);
            atomic.await("repaired +" + Pattern.quote(engineFile) + " \\(engine\\): altered", BOOT);
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", BOOT);
            assertEquals(good, sha256(engineClass));
            stop(atomic);
        }
    }

    private static void stop(RunningAtomic atomic) throws Exception {
        atomic.terminate();
        assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS), "Atomic did not stop:\n" + atomic.transcript());
        Matcher stopped = atomic.await("Atomic stopped: ", Duration.ofSeconds(5));
        assertTrue(stopped.find(0));
    }

    /**
     * The deployed file of an image that holds a class: the class file itself where the image was made from a build
     * directory, else the jar (tests run from either, depending on how far Maven built the other modules).
     */
    private static String imageFile(Path root, String image, String classFile) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve(image))) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = root.relativize(f).toString();
                if (name.endsWith("/" + classFile)) {
                    return name;
                }
                if (name.endsWith(".jar")) {
                    try (ZipFile jar = new ZipFile(f.toFile())) {
                        if (jar.getEntry(classFile) != null) {
                            return name;
                        }
                    }
                }
            }
        }
        return fail("no file of " + image + " in " + root + " holds " + classFile);
    }

    /** As a disk error or an intruder would: one bit, in place, whatever the file's mode. */
    private static void flipBit(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        var perms = Files.getPosixFilePermissions(file);
        file.toFile().setWritable(true, true);
        Files.write(file, bytes);
        Files.setPosixFilePermissions(file, perms);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
