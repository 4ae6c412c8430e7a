package dev.atomic.engine;

import dev.atomic.bridge.LaneSegment;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Image;
import dev.atomic.component.Kernel;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.StateKind;
import dev.atomic.system.Errno;
import dev.atomic.system.SharedMemory;
import dev.atomic.system.seccomp.Decision;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Engine takes a component's seccomp listener out of it and decides its trapped calls, on real processes. */
class SyscallTrapsTest {

    @Test
    void theEngineTakesThePublishedListenerAndDecidesEachTrappedCall() throws Exception {
        ComponentSpec spec = new ComponentSpec("trapper", Kernel.DAK, "app", Image.java("x.Trapper"), List.of(),
                List.of(), 1, 1, 1, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS, SandboxGrants.NONE, 2);
        try (LaneSegment segment = LaneSegment.format(SharedMemory.create("traps-test", LaneSegment.sizeFor(4096)),
                0, 4096);
             SyscallTraps traps = new SyscallTraps(() -> { })) {
            Member m = new Member(0, spec, segment);
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments()); // FFM and Agrona's flags
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), TrappingHost.class.getName(),
                    segment.memory().procPath().toString()));
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                m.pid = child.pid();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (segment.seccompListener() <= 0 && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                if (segment.seccompListener() <= 0) {
                    child.toHandle().destroyForcibly();
                    throw new AssertionError("no listener published: " + new String(child.getInputStream()
                            .readAllBytes(), StandardCharsets.UTF_8));
                }
                assertEquals(Optional.empty(), traps.take(m));
                assertEquals(LaneSegment.LISTENER_TAKEN, segment.seccompListener());
                String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(child.waitFor(20, TimeUnit.SECONDS), output);
                assertEquals(0, child.exitValue(), output);
                assertEquals(List.of("taken true", "parent EPERM", "child ended"), output.lines().toList());

                List<SyscallTraps.Decided> decided = new ArrayList<>();
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (decided.size() < 2 && System.nanoTime() < deadline) {
                    traps.drain(0, 16, decided::add);
                    Thread.sleep(5);
                }
                List<String> seen = decided.stream().map(d -> d.slot() + " " + d.outcome().notification().syscall()
                        + " " + d.outcome().notification().arg(0) + " " + d.outcome().decision()).toList();
                assertEquals(List.of("0 kill " + ProcessHandle.current().pid() + " " + Decision.deny(Errno.EPERM),
                        "0 kill " + decided.get(1).outcome().notification().arg(0) + " allow"), seen);
                assertTrue(decided.get(1).outcome().notification().arg(0) != child.pid(), seen::toString);
            } finally {
                child.toHandle().destroyForcibly();
            }
        }
    }

    @Test
    void aComponentThatPublishedNoListenerIsLeftAlone() {
        ComponentSpec spec = new ComponentSpec("plain", Kernel.DAK, "app", Image.java("x.Plain"), List.of(),
                List.of(), 1, 1, 1, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS, SandboxGrants.NONE, 2);
        try (LaneSegment segment = LaneSegment.format(SharedMemory.create("traps-test", LaneSegment.sizeFor(4096)),
                0, 4096);
             SyscallTraps traps = new SyscallTraps(() -> { })) {
            Member m = new Member(0, spec, segment);
            m.pid = ProcessHandle.current().pid();
            assertEquals(Optional.empty(), traps.take(m));
            assertEquals(0, segment.seccompListener());
            segment.publishSeccompListener(1); // stdout: not a seccomp listener
            assertEquals(Optional.of("no seccomp listener at descriptor 1 of plain (dak): its trapped calls will fail "
                    + "with ENOSYS"), traps.take(m));
            assertEquals(1, segment.seccompListener(), "nothing was taken");
        }
    }
}
