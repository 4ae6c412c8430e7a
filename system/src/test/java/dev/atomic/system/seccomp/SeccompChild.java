package dev.atomic.system.seccomp;

import dev.atomic.system.Descriptors;
import dev.atomic.system.Prctl;
import dev.atomic.system.SeccompProgram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Child side of {@link ComponentFilterTest}: makes the calls the component policy denies and prints
 * {@code <call> <errno>} for each (0: it succeeded), then works like a JVM works and prints {@code alive}.
 * <ul>
 * <li>{@code unfiltered}: no filter, to show what the kernel itself answers (no ptrace: it would succeed)</li>
 * <li>{@code load}: loads {@link ComponentPolicy#filter} itself, prints {@code listener <fd>}, waits for a line on
 * stdin (the parent took the listener), closes its copy, then also makes the trapped calls</li>
 * <li>{@code program}: prints {@code pid <pid>}, reads the path of {@link ComponentPolicy#filter} compiled for that
 * pid, loads it with {@link SeccompProgram} (no libseccomp), then goes on as {@code load} does</li>
 * <li>{@code bpf <file>}: loads the exported program with seccomp(2), not through libseccomp</li>
 * <li>{@code inherited}: a filter is already in force (bubblewrap installed it before the JVM started)</li>
 * </ul>
 */
public final class SeccompChild {
    static final long PTRACE_ATTACH = 16;
    static final long PTRACE_DETACH = 17;
    static final long CLONE_FS = 0x200;
    static final long CLONE_NEWUSER = 0x1000_0000L;
    static final long ADDR_NO_RANDOMIZE = 0x0040000;
    static final long AF_INET = 2;
    static final long SOCK_STREAM = 1;

    private SeccompChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        switch (mode) {
            case "unfiltered", "inherited" -> { }
            case "load" -> {
                int listener;
                try (Filter filter = ComponentPolicy.filter(ProcessHandle.current().pid(), false)) {
                    listener = filter.load().orElseThrow();
                }
                System.out.println("listener " + listener);
                System.out.flush();
                new BufferedReader(new InputStreamReader(System.in)).readLine();
                Descriptors.close(listener);
            }
            case "program" -> {
                System.out.println("pid " + ProcessHandle.current().pid());
                System.out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
                int listener = SeccompProgram.loadWithListener(Files.readAllBytes(Path.of(in.readLine())));
                System.out.println("listener " + listener);
                System.out.flush();
                in.readLine();
                Descriptors.close(listener);
            }
            case "bpf" -> {
                Prctl.setNoNewPrivs();
                long rc = RawSyscall.loadBpf(Files.readAllBytes(Path.of(args[1])));
                if (rc != 0) {
                    throw new IllegalStateException("seccomp(SECCOMP_SET_MODE_FILTER) failed: " + rc);
                }
            }
            default -> throw new IllegalArgumentException(mode);
        }
        deniedCalls(!mode.equals("unfiltered"));
        if (mode.equals("load") || mode.equals("program")) {
            trappedCalls();
        }
        System.out.println("alive " + work());
    }

    private static void deniedCalls(boolean filtered) {
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(8);
            MemorySegment local = arena.allocate(16, 8);
            local.set(JAVA_LONG, 0, buffer.address());
            local.set(JAVA_LONG, 8, 8);
            MemorySegment remote = arena.allocate(16, 8); // {NULL, 8}: unreadable anywhere
            remote.set(JAVA_LONG, 8, 8);
            report("mount", 0, 0, 0, 0, 0);
            if (filtered) {
                long r = RawSyscall.call("ptrace", PTRACE_ATTACH, parent);
                if (r == 0) {
                    RawSyscall.call("ptrace", PTRACE_DETACH, parent, 0, 0);
                }
                print("ptrace", r);
            }
            report("process_vm_readv", parent, local.address(), 1, remote.address(), 1, 0);
            report("init_module", 0, 0, 0);
            report("kexec_load", 0, 0, 0, 0xdead_0000L);
            report("perf_event_open", 0, 0, -1, -1, 0);
            report("bpf", 0, 0, 0);
            report("unshare", CLONE_NEWUSER | CLONE_FS);
            report("clone", CLONE_NEWUSER | CLONE_FS, 0, 0, 0, 0);
            report("clone3", 0, 0);
            report("setns", -1, 0);
            report("io_uring_setup", 0, 0);
            report("open_by_handle_at", -1, 0, 0);
            report("iopl", 4);
        }
    }

    /**
     * What the parent decides: signals to its parent (outside its sandbox) and to a child it started (inside),
     * personas, sockets; and what passes untrapped.
     */
    private static void trappedCalls() throws Exception {
        long self = ProcessHandle.current().pid();
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        print("kill-self", RawSyscall.call("kill", self, 0));
        print("kill-parent", RawSyscall.call("kill", parent, 0));
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        print("kill-own-child", RawSyscall.call("kill", sleeper.pid(), 0));
        sleeper.toHandle().destroy();
        System.out.println("own-child " + (sleeper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) ? "ended" : "alive"));
        print("personality-query", Math.min(0, RawSyscall.call("personality", 0xffff_ffffL)));
        print("personality-change", RawSyscall.call("personality", ADDR_NO_RANDOMIZE));
        long unix = RawSyscall.call("socket", 1, SOCK_STREAM, 0);
        print("socket-unix", Math.min(0, unix));
        if (unix >= 0) {
            Descriptors.close((int) unix);
        }
        print("socket-inet", RawSyscall.call("socket", AF_INET, SOCK_STREAM, 0));
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", 9))) {
            System.out.println("java-socket opened " + channel);
        } catch (java.io.IOException e) {
            System.out.println("java-socket " + e.getMessage());
        }
    }

    private static void report(String call, long... args) {
        print(call, RawSyscall.call(call, args));
    }

    private static void print(String call, long result) {
        System.out.println(call + " " + (result < 0 ? -result : 0));
    }

    /** Allocates, starts platform and virtual threads, writes and reads files. */
    private static long work() throws Exception {
        List<byte[]> garbage = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            garbage.add(new byte[100_000]);
            if (garbage.size() > 200) {
                garbage.clear();
            }
        }
        System.gc();
        long total = 0;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                int n = i * 1000;
                results.add(pool.submit(() -> {
                    Path file = Files.createTempFile("seccomp-child", ".txt");
                    try {
                        Files.writeString(file, "x".repeat(n));
                        return Files.readString(file).length();
                    } finally {
                        Files.delete(file);
                    }
                }));
            }
            for (Future<Integer> f : results) {
                total += f.get();
            }
        } finally {
            pool.shutdown();
        }
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 100; i++) {
                virtual.submit(() -> {
                    Thread.sleep(5);
                    return null;
                });
            }
        }
        return total;
    }
}
