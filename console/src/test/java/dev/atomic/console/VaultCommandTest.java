package dev.atomic.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code atomic vault}, as a user types it: a release made, signed, verified; then an object tampered with. */
class VaultCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int atomic(String... args) {
        CommandLine cli = new CommandLine(new AtomicCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aSignedReleaseVerifiesAndATamperedObjectIsRefused() throws Exception {
        Path vault = dir.resolve("vault");
        Path image = Files.writeString(dir.resolve("app.jar"), "not really a jar, but bytes all the same");
        assertEquals(0, atomic("vault", "--vault", vault.toString(), "keygen", "k", "--dir", dir.toString()), err.toString());
        assertEquals(0, atomic("vault", "--vault", vault.toString(), "add", image.toString(), "--release", "r1",
                "--layer", "dak", "--component", "app"), err.toString());
        assertEquals(0, atomic("vault", "--vault", vault.toString(), "sign", "r1", "--key",
                dir.resolve("k.key").toString()), err.toString());
        assertEquals(0, atomic("vault", "--vault", vault.toString(), "verify", "r1"), err.toString());
        assertTrue(out.toString().contains("every object intact"), out.toString());

        // One flipped byte in the stored object, as a failing disk or an attacker would leave it.
        Path object;
        try (Stream<Path> files = Files.walk(vault.resolve("objects"))) {
            object = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        Files.setPosixFilePermissions(object.getParent(), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(object, PosixFilePermissions.fromString("rw-------"));
        byte[] bytes = Files.readAllBytes(object);
        bytes[3] ^= 1;
        Files.write(object, bytes);
        Files.setPosixFilePermissions(object, PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(object.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));

        int status = atomic("vault", "--vault", vault.toString(), "verify", "r1");
        assertEquals(1, status, out + "\n" + err);
        assertTrue(err.toString().contains("atomic vault:"), err.toString());
    }
}
