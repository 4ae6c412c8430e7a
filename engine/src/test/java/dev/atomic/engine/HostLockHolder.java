package dev.atomic.engine;

import dev.atomic.bridge.LaneSegment;
import dev.atomic.system.RobustMutex;
import dev.atomic.system.SharedMemory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A component host's stand-in for {@link HostLocksTest}: takes the host lock of the lane segment it is given, as a
 * host does at its start, says so, and holds it until killed — or, told {@code release} on its input, lets go of it
 * (as any component can: the segment is its own) and lives on.
 */
public final class HostLockHolder {
    /** The host lock's offset in a lane segment (docs/bridge-protocol.md). */
    private static final long HOST_LOCK = 256;

    private HostLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        SharedMemory shared = SharedMemory.open(Path.of(args[0]));
        System.out.println("held " + LaneSegment.attach(shared).takeHostLock());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if ("release".equals(in.readLine())) {
            RobustMutex.unlock(shared.segment(), HOST_LOCK);
            System.out.println("released, alive");
            System.out.flush();
        }
        Thread.sleep(60_000);
    }
}
