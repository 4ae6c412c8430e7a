package dev.atomic.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The FUSE driver's process as the host sees it, found by the state directory in its environment (unique to one
 * instance of one home): what {@code atomic bench fuse} and FuseEndToEndTest kill with SIGKILL.
 */
public final class FuseDriver {
    private static final String HOST_CLASS = "dev.atomic.component.ComponentHost";

    private FuseDriver() {
    }

    /** The pid of the component host JVM whose state directory is {@code stateDir}, if one runs. */
    public static OptionalLong pid(Path stateDir) {
        byte[] env = ("ATOMIC_STATE_DIR=" + stateDir + "\0").getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> matches(p, env)).mapToLong(p -> Long.parseLong(p.getFileName().toString()))
                    .findFirst();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean matches(Path proc, byte[] env) {
        try {
            return Files.readString(proc.resolve("comm")).strip().equals("java")
                    && new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).contains(HOST_CLASS)
                    && indexOf(Files.readAllBytes(proc.resolve("environ")), env) >= 0;
        } catch (IOException e) {
            return false; // gone meanwhile, or not ours to read
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (i > 0 && haystack[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Waits for a driver process other than {@code old} (0: any) to run; its pid. */
    public static long await(Path stateDir, long old, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - end < 0) {
            OptionalLong pid = pid(stateDir);
            if (pid.isPresent() && pid.getAsLong() != old) {
                return pid.getAsLong();
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new IllegalStateException("no FUSE driver process (other than " + old + ") for " + stateDir + " within "
                + timeout.toSeconds() + " s");
    }

    /** SIGKILL, as {@code kill -9} sends it. */
    public static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
