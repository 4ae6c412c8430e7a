package dev.atomic.vault;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

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
            ctxNew = link(lib, "EVP_MD_CTX_new", FunctionDescriptor.of(ADDRESS));
            ctxFree = link(lib, "EVP_MD_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
            init = link(lib, "EVP_DigestInit_ex", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
            update = link(lib, "EVP_DigestUpdate", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
            fin = link(lib, "EVP_DigestFinal_ex", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
            md = (MemorySegment) link(lib, "EVP_sha256", FunctionDescriptor.of(ADDRESS)).invokeExact();
            if (md.equals(MemorySegment.NULL)) {
                md = null;
            }
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
            MemorySegment ctx = (MemorySegment) MD_CTX_NEW.invokeExact();
            if (ctx.equals(MemorySegment.NULL)) {
                return Optional.empty();
            }
            try {
                if ((int) INIT.invokeExact(ctx, SHA256, MemorySegment.NULL) != 1) {
                    return Optional.empty();
                }
                ByteBuffer view = buffer.asByteBuffer();
                for (int n; (n = in.read(view.clear())) >= 0; ) {
                    if ((int) UPDATE.invokeExact(ctx, buffer, (long) n) != 1) {
                        return Optional.empty();
                    }
                }
                if ((int) FINAL.invokeExact(ctx, digest, MemorySegment.NULL) != 1) {
                    return Optional.empty();
                }
                return Optional.of(digest.toArray(JAVA_BYTE));
            } finally {
                MD_CTX_FREE.invokeExact(ctx);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @SuppressWarnings("restricted") // every Atomic JVM runs with --enable-native-access
    private static MethodHandle link(SymbolLookup lib, String name, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(lib.findOrThrow(name), descriptor);
    }
}
