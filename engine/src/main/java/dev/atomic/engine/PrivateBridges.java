package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.FastPathSegment;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.component.Activation;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.SystemSpec;
import dev.atomic.system.Proc;
import dev.atomic.system.SharedMemory;

import java.io.IOException;
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
 * A copy of a system's bridges in memory only this process maps: a control region, a lane segment per component,
 * the fast path segments, and a scratch directory for an audit log. Every "component" is this process, attached and
 * ready, so an Engine over them takes it over as it would a running one. What a standby rehearses on.
 */
final class PrivateBridges implements AutoCloseable {
    static final int CAPACITY = 64 * 1024;

    /** Frames a second: far above what a rehearsal sends, and small enough for a storm window's arithmetic. */
    private static final long REHEARSAL_RATE = 1_000_000_000;
    final SystemSpec system;
    final ControlRegion control;
    final LaneSegment[] lanes;
    private final List<FastPathSegment> fastPaths = new ArrayList<>();
    private final List<SharedMemory> memories = new ArrayList<>();
    private final Path logDir;

    /** @param scratch where the audit log may go for as long as these bridges exist */
    PrivateBridges(SystemSpec system, Path scratch) {
        this.system = system;
        List<ComponentSpec> components = system.components();
        control = ControlRegion.format(memory("atomic-private-control", ControlRegion.sizeFor(components.size(),
                system.pools().size(), system.fastPaths().size(), CAPACITY)), components.size(),
                system.pools().size(), system.fastPaths().size(), CAPACITY, Proc.pid());
        lanes = new LaneSegment[components.size()];
        for (int slot = 0; slot < lanes.length; slot++) {
            ComponentSpec c = components.get(slot);
            lanes[slot] = LaneSegment.format(memory("atomic-private-lanes", LaneSegment.sizeFor(CAPACITY)), slot,
                    CAPACITY);
            lanes[slot].componentPid(Proc.pid());
            control.slotPid(slot, Proc.pid());
            lanes[slot].componentReady(true);
            control.describeSlot(slot, c.kernel().code(), c.id(), lanes[slot].memory().procPath().toString());
        }
        for (int id = 0; id < system.pools().size(); id++) {
            control.describePool(id, "/private");
        }
        for (int id = 0; id < system.fastPaths().size(); id++) {
            SharedMemory m = memory("atomic-private-fast", FastPathSegment.sizeFor(CAPACITY));
            fastPaths.add(FastPathSegment.format(m, id, CAPACITY));
            control.describeFastPath(id, m.procPath().toString());
        }
        try {
            logDir = Files.createTempDirectory(scratch, "atomic-private-");
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The Engine's view of the components, fresh: what a new Engine starts from. Each as started at boot and with
     * no rate budget to speak of: a rehearsal's calls, made as fast as it can, must be routed in the cycle they are
     * made, not held for an on-demand start nobody makes nor throttled as a storm.
     */
    Member[] members() {
        Member[] members = new Member[lanes.length];
        for (int slot = 0; slot < members.length; slot++) {
            ComponentSpec c = system.components().get(slot);
            members[slot] = new Member(slot, c.withActivation(Activation.BOOT)
                    .withRate(Math.max(c.rateBudget(), REHEARSAL_RATE)),
                    lanes[slot]);
        }
        return members;
    }

    Engine engine(Member[] members, PrintStream out) {
        return new Engine(control, members, fastPaths, system, logDir, false, out, TimeUnit.DAYS.toNanos(1));
    }

    private SharedMemory memory(String name, long size) {
        SharedMemory m = SharedMemory.create(name, size);
        memories.add(m);
        return m;
    }

    @Override
    public void close() {
        memories.forEach(SharedMemory::close);
        if (logDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(logDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is the system's to clean
        }
    }
}
