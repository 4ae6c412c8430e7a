package dev.atomic.vault;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A file's name is the same whether libcrypto or Java hashed it. */
class Sha256Test {
    @TempDir
    Path dir;

    @Test
    void libCryptoNamesFilesAsJavaDoesAcrossItsBufferBoundaries() throws IOException {
        assumeTrue(LibCrypto.available(), LibCrypto.LIBRARY + " is not installed here");
        Random random = new Random(42);
        for (int size : new int[]{0, 1, 55, 64, 256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1, 3 * 256 * 1024 + 17}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            Path f = Files.write(dir.resolve("f" + size), data);
            String native_;
            try (FileChannel in = FileChannel.open(f)) {
                native_ = HexFormat.of().formatHex(LibCrypto.sha256(in).orElseThrow());
            }
            assertEquals(Sha256.inJava(f), native_, size + " bytes");
            assertEquals(Sha256.of(data), native_, size + " bytes");
            assertEquals(Sha256.of(f), native_, size + " bytes");
        }
    }

    @Test
    void theNameOfTheEmptyFileIsTheWellKnownOne() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty"));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.of(empty));
    }

    @Test
    void aSymbolicLinkIsNotFollowedEitherWay() throws IOException {
        Path target = Files.writeString(dir.resolve("target"), "content");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertThrows(IOException.class, () -> Sha256.of(link));
        assertThrows(IOException.class, () -> Sha256.inJava(link));
        assertTrue(Sha256.isHash(Sha256.of(target)));
    }
}
