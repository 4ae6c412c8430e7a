package dev.atomic.vault;

import dev.atomic.system.Words;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * SHA-256 of files through OpenSSL's libcrypto (libssl3), linked when a file is first hashed. The Sovereign's JVM
 * runs C1 only, which has no SHA-256 intrinsic: there Java hashes tens of MB/s, libcrypto (SHA-NI, AVX2) over a GB/s,
 * and every boot hashes every deployed file. Without the library, or with one that fails, callers hash in Java.
 */
final class LibCrypto {
    static final String LIBRARY = "libcrypto.so.3";
    private static final int BUFFER = 256 * 1024;
    private static final int DIGEST = 32;

    private static final MethodHandle MD_CTX_NEW;
    private static final MethodHandle MD_CTX_FREE;
    private static final MethodHandle INIT;
    private static final MethodHandle UPDATE;
    private static final MethodHandle FINAL;
    /** The EVP_MD of SHA-256, or null when libcrypto cannot be used. */
    private static final MemorySegment SHA256;

    static {
        MethodHandle ctxNew = null;
        MethodHandle ctxFree = null;
        MethodHandle init = null;
        MethodHandle update = null;
        MethodHandle fin = null;
        MemorySegment md = null;
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
            ctxNew = link(lib, "EVP_MD_CTX_new");
            ctxFree = link(lib, "EVP_MD_CTX_free");
            init = link(lib, "EVP_DigestInit_ex");
            update = link(lib, "EVP_DigestUpdate");
            fin = link(lib, "EVP_DigestFinal_ex");
            MethodHandle sha256 = link(lib, "EVP_sha256");
            long address = Words.call(sha256, Words.state());
            md = address == 0 ? null : MemorySegment.ofAddress(address);
        } catch (Throwable absent) { // not installed, too old, or native access refused: Java hashes instead
            md = null;
        }
        MD_CTX_NEW = ctxNew;
        MD_CTX_FREE = ctxFree;
        INIT = init;
        UPDATE = update;
        FINAL = fin;
        SHA256 = md;
    }

    private LibCrypto() {
    }

    static boolean available() {
        return SHA256 != null;
    }

    /**
     * The SHA-256 of what is left to read of {@code in}; empty when libcrypto cannot be used here, or failed (then
     * {@code in} may have been read from).
     */
    static Optional<byte[]> sha256(FileChannel in) throws IOException {
        if (SHA256 == null) {
            return Optional.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER);
            MemorySegment digest = arena.allocate(DIGEST);
            MemorySegment st = Words.state();
            long ctx = Words.call(MD_CTX_NEW, st);
            if (ctx == 0) {
                return Optional.empty();
            }
            try {
                if ((int) Words.call(INIT, st, ctx, SHA256.address(), 0L) != 1) {
                    return Optional.empty();
                }
                ByteBuffer view = buffer.asByteBuffer();
                for (int n; (n = in.read(view.clear())) >= 0; ) {
                    if ((int) Words.call(UPDATE, st, ctx, buffer.address(), n) != 1) {
                        return Optional.empty();
                    }
                }
                if ((int) Words.call(FINAL, st, ctx, digest.address(), 0L) != 1) {
                    return Optional.empty();
                }
                return Optional.of(digest.toArray(JAVA_BYTE));
            } finally {
                Words.call(MD_CTX_FREE, st, ctx);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** With the one shape of call every Atomic JVM links ({@link Words}): no shape of its own to link. */
    private static MethodHandle link(SymbolLookup lib, String name) {
        return Words.link(lib.findOrThrow(name));
    }
}
