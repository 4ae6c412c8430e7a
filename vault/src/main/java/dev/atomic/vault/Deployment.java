package dev.atomic.vault;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Installs a release from scratch: first boot, and the staging side of an A/B update. The release is written into
 * a hidden sibling directory and renamed into place, so the root holds the whole release or does not exist.
 */
public final class Deployment {

    private Deployment() {
    }

    /**
     * Deploys {@code release} to {@code root}, which must not exist or be an empty directory. Files whose Vault
     * copy is not intact are reported UNREPAIRABLE, and their components must not start.
     */
    public static AuditResult deploy(Vault vault, String release, Path root) throws IOException {
        VerifiedRelease v = vault.verify(release);
        Path target = root.toAbsolutePath().normalize();
        boolean emptyDirectory = checkFresh(target, release);
        Files.createDirectories(target.getParent());
        Path parent = target.getParent().toRealPath();
        Path staging = parent.resolve("." + target.getFileName() + ".atomic-deploy-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.createDirectory(staging);
        Modes.set(staging, 0755);
        try {
            FileRestorer restorer = new FileRestorer(vault, staging);
            List<AuditResult.FileCheck> checks = new ArrayList<>(v.manifest().entries().size());
            for (ReleaseManifest.Entry e : v.manifest().entries()) {
                checks.add(restorer.install(e));
            }
            if (emptyDirectory) {
                Files.delete(target);
            }
            Files.move(staging, parent.resolve(target.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            SafeFiles.fsyncDirectory(parent);
            return new AuditResult(v, parent.resolve(target.getFileName()), checks, List.of());
        } finally {
            SafeFiles.deleteTree(staging);
        }
    }

    /** Removes a deployment that nothing boots any more. */
    public static void remove(Path root) throws IOException {
        SafeFiles.deleteTree(root);
    }

    /** True if {@code target} is an empty directory, false if it does not exist; anything else is refused. */
    private static boolean checkFresh(Path target, String release) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(target)) {
                if (!s.iterator().hasNext()) {
                    return true;
                }
            }
        }
        throw new VaultException("cannot deploy release '" + release + "' to " + target + ": it exists and is not an "
                + "empty directory (a deployment starts from scratch; the boot audit repairs an existing one)");
    }
}
