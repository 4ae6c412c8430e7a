package dev.atomic.vault;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The boot audit: before anything runs, every deployed file is checked against the release's signed manifest, and
 * a missing or altered file (one flipped bit is enough) is replaced from the Vault. A file with no intact copy keeps
 * its component from starting; the system boots without it and the report says so.
 */
public final class BootAudit {

    private BootAudit() {
    }

    /**
     * Audits {@code deployRoot} against {@code release}, repairing what it can. Throws {@link VaultException} if the
     * manifest is not signed by a trusted key: then no deployed file can be judged, and nothing should start.
     */
    public static AuditResult check(Vault vault, String release, Path deployRoot) throws IOException {
        VerifiedRelease v = vault.verify(release);
        Files.createDirectories(deployRoot);
        Path root = deployRoot.toRealPath();
        FileRestorer restorer = new FileRestorer(vault, root);
        List<AuditResult.FileCheck> checks = new ArrayList<>(v.manifest().entries().size());
        for (ReleaseManifest.Entry e : v.manifest().entries()) {
            checks.add(restorer.audit(e));
        }
        return new AuditResult(v, root, checks, unexpected(root, v.manifest()));
    }

    /** Files under {@code root} that the manifest does not name, sorted; links are listed, never followed. */
    static List<String> unexpected(Path root, ReleaseManifest m) throws IOException {
        Set<String> named = new HashSet<>();
        for (ReleaseManifest.Entry e : m.entries()) {
            named.add(e.path());
        }
        List<String> extra = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String rel = root.relativize(file).toString();
                if (!named.contains(rel)) {
                    extra.add(rel);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        extra.sort(null);
        return extra;
    }
}
