package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.FastPathSegment;
import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.bridge.Priority;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.ServiceRef;
import dev.atomic.component.SystemSpec;
import dev.atomic.system.Proc;
import dev.atomic.system.SharedMemory;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What makes a standby warm rather than merely started: before it waits for the Engine's seat, it rehearses a
 * takeover on a private copy of the bridges — an Engine of the same system, over its own control region and lane
 * segments in memory nobody else maps, adopting "components" that are itself, then routing calls and their answers,
 * written and read by the rehearsal itself, until the JIT has compiled the code a takeover and its traffic run. The
 * real takeover then runs compiled code, with every native call linked and every class loaded. Nothing of the
 * rehearsal reaches a real ring, the terminal or the audit log.
 */
final class Rehearsal {
    /** Enough calls for the tiered JIT to compile the routing path (its thresholds are in the thousands). */
    static final int ROUND_TRIPS = 4000;
    private static final int REFUSALS = 50;
    private static final int CAPACITY = 64 * 1024;
    private static final UnsafeBuffer PAYLOAD = new UnsafeBuffer(new byte[64]);

    private record Call(int caller, int serviceId, int method) {
    }

    private final SystemSpec system;
    private final List<SharedMemory> memories = new ArrayList<>();
    private final Member[] members;
    private final ControlRegion control;
    private final List<FastPathSegment> fastPaths = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();

    private Rehearsal(SystemSpec system) {
        this.system = system;
        List<ComponentSpec> components = system.components();
        control = ControlRegion.format(memory("atomic-rehearsal-control", ControlRegion.sizeFor(components.size(),
                system.pools().size(), system.fastPaths().size(), CAPACITY)), components.size(),
                system.pools().size(), system.fastPaths().size(), CAPACITY, Proc.pid());
        members = new Member[components.size()];
        for (int slot = 0; slot < members.length; slot++) {
            ComponentSpec c = components.get(slot);
            LaneSegment lanes = LaneSegment.format(memory("atomic-rehearsal-lanes", LaneSegment.sizeFor(CAPACITY)),
                    slot, CAPACITY);
            // Adopted like a running component: the process it names is alive (this one).
            lanes.componentPid(Proc.pid());
            lanes.componentReady(true);
            control.describeSlot(slot, c.kernel().code(), c.id(), lanes.memory().procPath().toString());
            members[slot] = new Member(slot, c, lanes);
            for (ServiceRef grant : c.calls()) {
                calls.add(new Call(slot, system.serviceId(grant.name()),
                        grant.methods().isEmpty() ? 1 : grant.methods().iterator().next()));
            }
        }
        for (int id = 0; id < system.pools().size(); id++) {
            control.describePool(id, "/rehearsal");
        }
        for (int id = 0; id < system.fastPaths().size(); id++) {
            SharedMemory m = memory("atomic-rehearsal-fast", FastPathSegment.sizeFor(CAPACITY));
            fastPaths.add(FastPathSegment.format(m, id, CAPACITY));
            control.describeFastPath(id, m.procPath().toString());
        }
    }

    /**
     * Rehearses a takeover of {@code system} and its traffic; leaves nothing behind. Returns how many replies the
     * rehearsal's Engine routed to their callers.
     *
     * @param scratch where the rehearsal's audit log may go for as long as it runs
     */
    static int run(SystemSpec system, Path scratch) {
        Rehearsal r = new Rehearsal(system);
        Path logDir = null;
        try {
            logDir = Files.createTempDirectory(scratch, "atomic-rehearsal-");
            return r.rehearse(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            r.close(logDir);
        }
    }

    private int rehearse(Path logDir) {
        int[] replies = new int[1];
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        try (Engine engine = new Engine(control, members, fastPaths, system, logDir, false, silent,
                TimeUnit.DAYS.toNanos(1))) {
            engine.start(true);
            for (int i = 0; i < ROUND_TRIPS; i++) {
                for (Call c : calls) {
                    members[c.caller()].segment.requests().lane(Priority.NORMAL).offer(FrameType.REQUEST, 0,
                            c.caller(), c.serviceId(), c.method(), 0, i, 0, PAYLOAD, 0, PAYLOAD.capacity());
                }
                engine.cycle();
                for (Member m : members) {
                    m.segment.deliveries().poll((type, b, index, length) -> answer(m, type, b, index), 64);
                }
                engine.cycle();
                for (Member m : members) {
                    m.segment.deliveries().poll((type, b, index, length) -> replies[0] += type == FrameType.REPLY
                            ? 1 : 0, 64);
                }
                control.admin().poll((type, b, index, length) -> { }, 64);
            }
            rehearseRefusals(engine);
        }
        return replies[0];
    }

    /**
     * A takeover meets answers to calls it never saw and requests it must refuse: the audit log and the error path
     * are warmed too (their records go to the rehearsal's own log directory).
     */
    private void rehearseRefusals(Engine engine) {
        for (int i = 0; i < REFUSALS; i++) {
            for (Member m : members) {
                var lane = m.segment.requests().lane(Priority.NORMAL);
                lane.offer(FrameType.REPLY, 0, m.slot, (m.slot + 1) % members.length, 1, 0, i, 0, PAYLOAD, 0, 8);
                lane.offer(FrameType.REQUEST, 0, m.slot, -1, 1, 0, ROUND_TRIPS + i, 0, PAYLOAD, 0, 8);
            }
            engine.cycle();
            for (Member m : members) {
                m.segment.deliveries().poll((type, b, index, length) -> { }, 64);
            }
        }
    }

    /** The provider's part: every request is answered with its own payload. */
    private static void answer(Member provider, int type, MutableDirectBuffer b, int index) {
        if (type == FrameType.REQUEST) {
            provider.segment.requests().lane(Priority.NORMAL).offer(FrameType.REPLY, 0, provider.slot,
                    Frame.source(b, index), Frame.method(b, index), 0, Frame.correlation(b, index), 0, b,
                    index + Frame.HEADER_LENGTH, Frame.payloadLength(b, index));
        }
    }

    private SharedMemory memory(String name, long size) {
        SharedMemory m = SharedMemory.create(name, size);
        memories.add(m);
        return m;
    }

    private void close(Path logDir) {
        for (Member m : members) {
            if (m != null) {
                m.closePidFd();
            }
        }
        memories.forEach(SharedMemory::close);
        if (logDir != null) {
            try (Stream<Path> files = Files.walk(logDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // a temporary directory left behind is the system's to clean
            }
        }
    }
}
