package dev.atomic.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestValidationTest {

    private static final String HASH = Sha256.of(new byte[0]);
    private static final Instant T = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void pathsThatLeaveTheDeployRootAreRefused() {
        assertRefused("../etc/passwd", "entry '../etc/passwd': path leaves the deploy root ('..')");
        assertRefused("engine/../../x", "entry 'engine/../../x': path leaves the deploy root ('..')");
        assertRefused("/etc/passwd", "entry '/etc/passwd': path is absolute; entries are relative to the deploy root");
        assertRefused("engine//x", "entry 'engine//x': path is not normalised (empty or '.' segment)");
        assertRefused("./x", "entry './x': path is not normalised (empty or '.' segment)");
        assertRefused("engine/", "entry 'engine/': path is not normalised (empty or '.' segment)");
        assertRefused("a\\b", "entry 'a\\b': path may hold only printable ASCII without '\\' (found U+005C at 1)");
        assertRefused("a\nb", "entry 'a\nb': path may hold only printable ASCII without '\\' (found U+000A at 1)");
    }

    @Test
    void entriesMustBeDistinctAndWellFormed() {
        VaultException dup = assertThrows(VaultException.class, () -> ReleaseManifest.of("r1", T, List.of(
                entry("a/x"), entry("a/x"))));
        assertEquals("manifest 'r1': two entries for 'a/x'", dup.getMessage());
        VaultException under = assertThrows(VaultException.class, () -> ReleaseManifest.of("r1", T, List.of(
                entry("a"), entry("a/x"))));
        assertEquals("manifest 'r1': entry 'a/x' lies below 'a', which is itself a file entry", under.getMessage());
        VaultException hash = assertThrows(VaultException.class,
                () -> new ReleaseManifest.Entry("x", HASH.toUpperCase(), 0, Layer.DAK, "c", 0644));
        assertTrue(hash.getMessage().contains("sha256 must be 64 lowercase hex digits"), hash.getMessage());
        VaultException size = assertThrows(VaultException.class,
                () -> new ReleaseManifest.Entry("x", HASH, -1, Layer.DAK, "c", 0644));
        assertEquals("entry 'x': size must be 0 or more, not -1", size.getMessage());
        VaultException suid = assertThrows(VaultException.class,
                () -> new ReleaseManifest.Entry("x", HASH, 0, Layer.DAK, "c", 04755));
        assertTrue(suid.getMessage().contains("mode 4755 is refused"), suid.getMessage());
        VaultException name = assertThrows(VaultException.class, () -> ReleaseManifest.of("../r1", T, List.of()));
        assertTrue(name.getMessage().startsWith("release name '../r1' must be"), name.getMessage());
    }

    @Test
    void aSignedManifestWithTraversalOrAbsolutePathsWritesNothingOutsideTheDeployRoot() throws IOException {
        TestVault t = TestVault.create(tmp);
        String content = "payload";
        String hash = t.vault().add(Files.writeString(tmp.resolve("payload"), content));
        Path outside = tmp.resolve("outside.txt");
        Path absolute = tmp.resolve("absolute.txt");
        // Signed by the trusted key itself: validation, not the signature, must stop these.
        signRaw(t, "dotdot", rawManifest("dotdot", "../outside.txt", hash, content.length()));
        signRaw(t, "abs", rawManifest("abs", absolute.toString(), hash, content.length()));
        Path root = Files.createDirectories(tmp.resolve("deploy/root"));

        VaultException dotdot = assertThrows(VaultException.class, () -> BootAudit.check(t.vault(), "dotdot", root));
        assertEquals("manifest 'dotdot': entry '../outside.txt': path leaves the deploy root ('..')",
                dotdot.getMessage());
        VaultException abs = assertThrows(VaultException.class, () -> Deployment.deploy(t.vault(), "abs",
                tmp.resolve("deploy/other")));
        assertEquals("manifest 'abs': entry '" + absolute + "': path is absolute; entries are relative to the deploy "
                + "root", abs.getMessage());

        assertTrue(Files.notExists(outside));
        assertTrue(Files.notExists(tmp.resolve("deploy/outside.txt")));
        assertTrue(Files.notExists(absolute));
        try (var s = Files.list(tmp.resolve("deploy"))) {
            assertEquals(List.of(root), s.toList());
        }
        try (var s = Files.list(root)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void aManifestOfAHundredThousandEntriesParsesVerifiesAndValidates() throws IOException {
        TestVault t = TestVault.create(tmp);
        List<ReleaseManifest.Entry> entries = new ArrayList<>(100_000);
        Layer[] layers = Layer.values();
        for (int i = 0; i < 100_000; i++) {
            entries.add(new ReleaseManifest.Entry("components/c" + (i % 1000) + "/lib/file-" + i + ".jar",
                    Sha256.of(Integer.toString(i).getBytes(StandardCharsets.UTF_8)), i, layers[i % 4], "c" + (i % 1000),
                    i % 2 == 0 ? 0644 : 0755));
        }
        ReleaseManifest big = ReleaseManifest.of("big", T, entries);
        t.vault().releases().publish(big, t.privateKey(), t.publicKey());
        assertTrue(Files.size(t.manifest("big")) < ReleaseManifest.MAX_BYTES);

        VerifiedRelease v = t.vault().verify("big");
        assertEquals(100_000, v.manifest().entries().size());
        assertEquals(big, v.manifest());
        assertEquals(1000, v.manifest().components().size());
    }

    @Test
    void aManifestLargerThanTheBoundIsRefusedBeforeParsing() throws IOException {
        TestVault t = TestVault.create(tmp);
        Path manifests = t.vault().root().resolve("manifests");
        TestVault.inWritable(manifests, () -> {
            try (RandomAccessFile f = new RandomAccessFile(manifests.resolve("huge.json").toFile(), "rw")) {
                f.setLength(ReleaseManifest.MAX_BYTES + 1);
            }
            Files.write(manifests.resolve("huge.sig"), new SignatureFile(t.key().fingerprint(), new byte[64]).toJson());
        });
        VaultException e = assertThrows(VaultException.class, () -> t.vault().verify("huge"));
        assertEquals("manifest 'huge' is larger than 64 MiB: refused", e.getMessage());
        VaultException parse = assertThrows(VaultException.class,
                () -> ReleaseManifest.parse(new byte[(int) ReleaseManifest.MAX_BYTES + 1], "huge"));
        assertEquals("manifest 'huge' is larger than 64 MiB: refused", parse.getMessage());
    }

    @Test
    void malformedManifestsAreRefusedWithTheReason() {
        String good = new String(ReleaseManifest.of("r1", T, List.of(entry("a/x"))).toJson(), StandardCharsets.UTF_8);
        assertParseError(good.replace("\"format\": 1", "\"format\": 2"), "'format' must be 1");
        assertParseError(good.replace("\"format\": 1", "\"extra\": 1"), "unknown field 'extra'");
        assertParseError(good.replace("\"size\": 0", "\"size\": \"0\""), "entry 1 'size' must be a whole number, "
                + "found a string");
        assertParseError(good.replace("\"mode\": \"0644\"", "\"mode\": \"644\""), "must be four octal digits");
        assertParseError(good.replace("\"layer\": \"dak\"", "\"layer\": \"kernel\""), "unknown layer 'kernel'");
        assertParseError(good.replace(", \"size\": 0", ""), "entry 1 must have all of");
        assertParseError(good.replace("\"release\": \"r1\"", "\"release\": \"r1\", \"release\": \"r2\""),
                "is not valid JSON: Duplicate field 'release'");
        assertParseError(good.substring(0, good.length() / 2), "is not valid JSON");
        assertParseError(good.replace("\n  ", "\n   "), "is not in canonical form");
        assertParseError(good + "{}", "content after the manifest object");
    }

    private static void assertParseError(String json, String expected) {
        VaultException e = assertThrows(VaultException.class,
                () -> ReleaseManifest.parse(json.getBytes(StandardCharsets.UTF_8), "r1"));
        assertTrue(e.getMessage().startsWith("manifest 'r1'"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static void assertRefused(String path, String message) {
        VaultException e = assertThrows(VaultException.class, () -> entry(path));
        assertEquals(message, e.getMessage());
    }

    private static ReleaseManifest.Entry entry(String path) {
        return new ReleaseManifest.Entry(path, HASH, 0, Layer.DAK, "c", 0644);
    }

    /** Canonical-looking manifest bytes that the Entry constructor would never produce. */
    private static byte[] rawManifest(String release, String path, String hash, int size) {
        return ("{\n  \"channels\": {\"dak\": \"monthly\", \"engine\": \"monthly\", \"services\": \"monthly\", "
                + "\"sovereign\": \"quarterly\"},\n  \"created\": \"2025-06-01T12:00:00Z\",\n  \"entries\": [\n"
                + "    {\"component\": \"evil\", \"layer\": \"dak\", \"mode\": \"0644\", \"path\": \"" + path
                + "\", \"sha256\": \"" + hash + "\", \"size\": " + size + "}\n  ],\n  \"format\": 1,\n"
                + "  \"release\": \"" + release + "\"\n}\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void signRaw(TestVault t, String release, byte[] json) throws IOException {
        byte[] sig = new SignatureFile(t.key().fingerprint(), Signer.sign(json, t.privateKey())).toJson();
        Path manifests = t.vault().root().resolve("manifests");
        TestVault.inWritable(manifests, () -> {
            Files.write(manifests.resolve(release + ".json"), json);
            Files.write(manifests.resolve(release + ".sig"), sig);
        });
    }
}
