package dev.atomic.engine;

import dev.atomic.vault.ClassPathImage;
import dev.atomic.vault.Layer;
import dev.atomic.vault.ReleaseManifest;
import dev.atomic.vault.Vault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Engine's half of mutual verification: before it touches a bridge, it checks that the Sovereign runs exactly
 * the image the signed release names. It reads the Sovereign's class path from {@code /proc}, not from anything the
 * Sovereign tells it, and the manifest from the Vault, whose signature it checks itself.
 */
final class SovereignCheck {
    private SovereignCheck() {
    }

    /** What is wrong, in plain words; empty when the Sovereign runs the release's image. */
    static List<String> problems(long sovereignPid, Path vaultDir, String release) throws IOException {
        ReleaseManifest manifest = Vault.open(vaultDir).verify(release).manifest();
        return new ClassPathImage(Layer.SOVEREIGN.label()).verify(classPathOf(sovereignPid), manifest);
    }

    /** A JVM's class path as its command line gives it ({@code -cp}, else $CLASSPATH), wildcards expanded. */
    static List<Path> classPathOf(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        String[] argv = Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8).split("\0");
        String spec = null;
        for (int i = 0; i < argv.length && spec == null; i++) {
            String a = argv[i];
            if ((a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")) && i + 1 < argv.length) {
                spec = argv[i + 1];
            } else if (a.startsWith("--class-path=")) {
                spec = a.substring("--class-path=".length());
            } else if (a.equals("-jar")) {
                throw new IOException("the Sovereign (pid " + pid + ") runs with -jar, whose class path cannot be "
                        + "checked from its command line");
            }
        }
        if (spec == null) {
            for (String env : Files.readString(proc.resolve("environ"), StandardCharsets.UTF_8).split("\0")) {
                if (env.startsWith("CLASSPATH=")) {
                    spec = env.substring("CLASSPATH=".length());
                }
            }
        }
        if (spec == null) {
            throw new IOException("cannot tell the class path of the Sovereign (pid " + pid + ")");
        }
        Path cwd = proc.resolve("cwd").toRealPath();
        List<Path> entries = new ArrayList<>();
        for (String e : spec.split(java.io.File.pathSeparator)) {
            if (e.isEmpty()) {
                continue;
            }
            if (e.equals("*") || e.endsWith("/*")) {
                // As the java launcher does: every .jar in the directory; the order does not matter for a check.
                try (DirectoryStream<Path> jars = Files.newDirectoryStream(cwd.resolve(e.substring(0, e.length() - 1)),
                        "*.{jar,JAR}")) {
                    jars.forEach(j -> entries.add(j.toAbsolutePath().normalize()));
                }
            } else {
                entries.add(cwd.resolve(e).toAbsolutePath().normalize());
            }
        }
        return entries;
    }
}
