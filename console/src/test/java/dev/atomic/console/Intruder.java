package dev.atomic.console;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.system.Errno;
import dev.atomic.system.Signals;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A component that tries to get out: at other processes' memory and signals, at the host's secrets, devices, cgroups,
 * mounts, kernel modules, network and files, and at its pids limit; and, when the test asks, past its memory limit. It waits for the test to write what to aim at ({@link #TARGETS} in its state directory),
 * then logs each attempt as {@code intruder: <attack>: blocked (<why>)} or {@code intruder: <attack>: SUCCEEDED
 * (<what>)}. Every attempt is real; the control run without a sandbox shows that.
 */
public final class Intruder implements Component {
    static final String TARGETS = "targets";
    /**
     * Written by the test, holding a pid outside the sandbox, after it killed the Engine: the intruder's trapped
     * signal to it must still be decided (EPERM), not fail with ENOSYS for want of a listener.
     */
    static final String AFTER_FAILOVER = "after-failover";
    /** Written by the test once it has checked the rest: the intruder then eats memory until its limit kills it. */
    static final String EAT_MEMORY = "eat-memory";
    /** Left before eating: its next incarnation does not attack again. */
    static final String ATE = "ate-memory";
    static final String PROOF = "intruder-proof";
    /** More than any state size the test gives it. */
    private static final long FILL_BEYOND = 1L << 30;
    /** What it tries to leave outside its state directory. */
    static final String MARK = "intruder-was-here";
    static final List<String> ATTACKS = List.of("see-processes", "proc-mem", "process_vm_readv", "ptrace", "shadow",
            "signing-key", "vault", "lanes-of-another", "cgroup-write", "msr", "dev-mem", "kvm", "mount", "load-module",
            "network", "signal-engine", "signal-sovereign", "fork-bomb", "write-outside", "fill-disk");
    private static final long PTRACE_SEIZE = 0x4206;
    private static final long PTRACE_DETACH = 17;
    private static final StructLayout ERRNO = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE = ERRNO.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private PrintStream log;
    private Path state;

    @Override
    public void init(ComponentContext context) {
        log = context.log();
        state = Path.of(System.getenv("ATOMIC_STATE_DIR"));
    }

    @Override
    public void start() {
        Thread.ofPlatform().name("intruder").daemon().start(this::run);
    }

    private void run() {
        if (Files.exists(state.resolve(ATE))) {
            log.println("intruder: back after eating its memory; resting");
            log.flush();
            return;
        }
        try {
            Files.writeString(state.resolve(PROOF), "written from pid " + ProcessHandle.current().pid());
            Path file = state.resolve(TARGETS);
            while (!Files.exists(file)) {
                Thread.sleep(50);
            }
            Properties t = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                t.load(r);
            }
            attackAll(t);
        } catch (Exception e) {
            log.println("intruder: gave up: " + e);
        }
        log.println("intruder: done");
        log.flush();
        try {
            boolean probed = false;
            while (!Files.exists(state.resolve(EAT_MEMORY))) {
                if (!probed && Files.exists(state.resolve(AFTER_FAILOVER))) {
                    long target = Long.parseLong(Files.readString(state.resolve(AFTER_FAILOVER)).strip());
                    Result r = call("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), (int) target, 0);
                    log.println("intruder: after-failover: kill errno " + (r.value() < 0 ? r.errno() : 0));
                    log.flush();
                    probed = true;
                }
                Thread.sleep(50);
            }
            Files.writeString(state.resolve(ATE), "x");
            eatMemory();
        } catch (Throwable e) {
            log.println("intruder: could not go on: " + e);
        }
    }

    /** Native memory, touched page by page, until the kernel's OOM killer stops it at its cgroup's limit. */
    private void eatMemory() {
        long chunk = 16L << 20;
        for (long eaten = chunk; ; eaten += chunk) {
            Arena.global().allocate(chunk).fill((byte) 1);
            log.println("intruder: ate " + (eaten >> 20) + " MiB");
            log.flush();
        }
    }

    /** Threads until the pids limit refuses one (each is a clone(2), as a fork is); then lets them all go. */
    private static String forkBomb() throws Throwable {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        try {
            for (int i = 0; i < 10_000; i++) {
                started.add(Thread.ofPlatform().daemon().start(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            return "started " + started.size() + " threads";
        } catch (OutOfMemoryError e) {
            throw new IOException("refused after " + started.size() + " threads: " + e.getMessage());
        } finally {
            release.countDown();
        }
    }

    private void attackAll(Properties t) {
        long victim = Long.parseLong(t.getProperty("victim"));
        attack("see-processes", () -> {
            try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
                List<String> others = proc.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+"))
                        .filter(n -> Long.parseLong(n) != ProcessHandle.current().pid()).toList();
                return others.isEmpty() ? null : "sees " + others.size() + " other process(es)";
            }
        });
        attack("proc-mem", () -> {
            try (var mem = java.nio.channels.FileChannel.open(Path.of("/proc", Long.toString(victim), "mem"))) {
                return "opened /proc/" + victim + "/mem";
            }
        });
        attack("process_vm_readv", () -> processVmReadv(victim));
        attack("ptrace", () -> ptraceSeize(victim));
        attack("shadow", () -> "read " + Files.readAllBytes(Path.of("/etc/shadow")).length + " bytes of /etc/shadow");
        attack("signing-key", () -> "read " + Files.readAllBytes(Path.of(t.getProperty("key"))).length
                + " bytes of the signing key");
        attack("vault", () -> {
            try (Stream<Path> vault = Files.list(Path.of(t.getProperty("vault")))) {
                return "listed the Vault: " + vault.count() + " entries";
            }
        });
        attack("lanes-of-another", () -> {
            try (var lanes = java.nio.channels.FileChannel.open(Path.of(t.getProperty("lanes")),
                    java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
                return "opened another component's lane segment, " + lanes.size() + " bytes";
            }
        });
        attack("cgroup-write", () -> {
            Files.writeString(Path.of(t.getProperty("cgroup")), Long.toString(ProcessHandle.current().pid()));
            return "wrote " + t.getProperty("cgroup");
        });
        attack("msr", () -> openDevice("/dev/cpu/0/msr"));
        attack("dev-mem", () -> openDevice("/dev/mem"));
        attack("kvm", () -> openDevice("/dev/kvm"));
        attack("mount", this::mountTmpfs);
        attack("load-module", Intruder::loadModule);
        attack("network", () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(t.getProperty("port"))), 2000);
                return "connected to the host's 127.0.0.1:" + t.getProperty("port");
            }
        });
        attack("signal-engine", () -> signal(Long.parseLong(t.getProperty("engine"))));
        attack("signal-sovereign", () -> signal(Long.parseLong(t.getProperty("sovereign"))));
        attack("fork-bomb", Intruder::forkBomb);
        attack("write-outside", () -> writeOutside(Stream.of(t.getProperty("write-to").split(",")).map(Path::of)
                .toList()));
        attack("fill-disk", this::fillDisk);
    }

    /**
     * Writes into its state directory, the one place it may write, until refused; past {@link #FILL_BEYOND} unrefused
     * it got through (the host's disk is its limit). Holds what it wrote a moment, for the Engine's look, then frees it.
     */
    private String fillDisk() throws Exception {
        Path fill = state.resolve("fill");
        byte[] chunk = new byte[1 << 20];
        long written = 0;
        try (var out = Files.newOutputStream(fill)) {
            while (written < FILL_BEYOND) {
                out.write(chunk);
                written += chunk.length;
            }
            return "wrote " + (written >> 20) + " MiB into " + state + " unrefused";
        } catch (IOException e) {
            throw new IOException("refused after " + (written >> 20) + " MiB: " + e.getMessage(), e);
        } finally {
            Thread.sleep(2000);
            Files.deleteIfExists(fill);
        }
    }

    /** Something that, if it returns a text instead of throwing, got through. */
    private interface Attempt {
        String run() throws Throwable;
    }

    private void attack(String name, Attempt attempt) {
        String line;
        try {
            String got = attempt.run();
            line = got == null ? "blocked (nothing there)" : "SUCCEEDED (" + got + ")";
        } catch (Throwable e) {
            line = "blocked (" + e + ")";
        }
        log.println("intruder: " + name + ": " + line);
        log.flush();
    }

    private static String openDevice(String device) throws IOException {
        try (var d = java.nio.channels.FileChannel.open(Path.of(device))) {
            return "opened " + device;
        }
    }

    private static String signal(long pid) {
        return Signals.kill(pid, Signals.SIGKILL) ? "killed pid " + pid : null;
    }

    /** Leaves its {@link #MARK} in each directory it can, as it sees them; the test looks for them on the host. */
    private static String writeOutside(List<Path> dirs) throws IOException {
        List<String> written = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Path dir : dirs) {
            try {
                written.add(Files.writeString(dir.resolve(MARK), "x").toString());
            } catch (IOException e) {
                failures.add(e.toString());
            }
        }
        if (written.isEmpty()) {
            throw new IOException(String.join("; ", failures));
        }
        return "wrote " + String.join(", ", written);
    }

    private String mountTmpfs() throws Throwable {
        Path target = Files.createDirectories(state.resolve("mnt"));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocateFrom(target.toString());
            call("mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS),
                    a.allocateFrom("none"), t, a.allocateFrom("tmpfs"), 0L, MemorySegment.NULL).orThrow("mount");
            call("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), t, 0);
            return "mounted a tmpfs on " + target;
        }
    }

    private static String loadModule() throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            call("init_module", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS), MemorySegment.NULL, 0L,
                    a.allocateFrom("")).orThrow("init_module");
            return "loaded a kernel module";
        }
    }

    private static String processVmReadv(long pid) throws Throwable {
        long address = 0x10000;
        try {
            String first = Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps")).getFirst();
            address = Long.parseUnsignedLong(first.substring(0, first.indexOf('-')), 16);
        } catch (IOException | RuntimeException e) {
            // not visible: any address will do, the pid is refused first
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buffer = a.allocate(16);
            MemorySegment local = a.allocate(16);
            local.set(ADDRESS, 0, buffer);
            local.set(JAVA_LONG, 8, 16L);
            MemorySegment remote = a.allocate(16);
            remote.set(JAVA_LONG, 0, address);
            remote.set(JAVA_LONG, 8, 16L);
            long read = call("process_vm_readv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG,
                    ADDRESS, JAVA_LONG, JAVA_LONG), (int) pid, local, 1L, remote, 1L, 0L).orThrow("process_vm_readv");
            return "read " + read + " bytes of pid " + pid + "'s memory";
        }
    }

    /** PTRACE_SEIZE attaches without stopping the tracee; it is let go at once. */
    private static String ptraceSeize(long pid) throws Throwable {
        FunctionDescriptor ptrace = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
        call("ptrace", ptrace, PTRACE_SEIZE, (int) pid, MemorySegment.NULL, MemorySegment.NULL).orThrow("ptrace");
        call("ptrace", ptrace, PTRACE_DETACH, (int) pid, MemorySegment.NULL, MemorySegment.NULL);
        return "seized pid " + pid + " with ptrace";
    }

    /** What a libc call returned, and errno after it. */
    private record Result(long value, int errno) {
        long orThrow(String what) throws IOException {
            if (value < 0) {
                throw new IOException(what + " failed: " + Errno.name(errno) + " (" + Errno.describe(errno) + ")");
            }
            return value;
        }
    }

    private static Result call(String name, FunctionDescriptor descriptor, Object... args) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle h = linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = a.allocate(ERRNO);
            Object[] all = new Object[args.length + 1];
            all[0] = errno;
            System.arraycopy(args, 0, all, 1, args.length);
            Object r = h.invokeWithArguments(all);
            return new Result(r instanceof Integer i ? i : (Long) r, (int) ERRNO_VALUE.get(errno, 0L));
        }
    }
}
