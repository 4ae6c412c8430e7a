package dev.atomic.engine;

import dev.atomic.bridge.Lane;
import dev.atomic.bridge.MirrorRegion;
import dev.atomic.bridge.Priority;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Engine's state, kept in the Sovereign's {@link MirrorRegion} as it changes, for the Engine that takes over
 * after this one dies: the routing table (one static record), each component's record (state, pid, lane generation,
 * its newest restarts, when a restart waiting out its back-off is due, whether it was demoted to Tier 2 (and by whom,
 * or a policy's demotion or its lifting planned), whether it is back from a planned restart, when its
 * partition host must have unloaded it), each fast path's state, how far each lane the Engine reads was handled, and
 * each request in flight (with its pool loan). A record is written the moment its state changes, before the frame that changed it
 * is released from its lane: a successor never finds a frame released that the mirror does not account for. Writes
 * allocate nothing.
 * <p>
 * The lane records are what make a takeover exact. A frame the dying Engine had handled but not yet released is
 * still in its lane; its lane record (or, for a request, its in-flight record, written in one piece with it) says it
 * was handled, and the successor releases it unread rather than handle it twice.
 */
final class StateMirror {
    static final int STATIC_KIND = 1;
    static final int MEMBER_KIND = 2;
    static final int FAST_PATH_KIND = 3;
    static final int LANE_KIND = 4;
    static final int IN_FLIGHT_KIND = 5;
    /**
     * A request the Engine holds, not with a provider: its provider died and it waits to be replayed to the next
     * incarnation, or its provider is starting (or thawing) on demand. A successor has not its payload (the dead
     * Engine's heap had it): it fails the call at once, saying so.
     */
    static final int HELD_KIND = 6;
    /** A component's newest restarts kept in its record (what fits it): the budget a successor applies. */
    static final int RESTARTS_KEPT = 7;
    private static final int FLAGS = 32;
    private static final int PLANNED = 1;
    /** {@link Demotion#bits} take bits 1 to 4. */
    private static final int DEMOTION_SHIFT = 1;
    private static final int DEMOTION_BITS = 0xf << DEMOTION_SHIFT;
    private static final int BACK_FROM_PLANNED = 32;
    private static final int RESTART_AT = 36;
    private static final int UNLOAD_BY = 44;
    /** Where a member record's restart times start, after when its partition host must have unloaded it. */
    private static final int RESTARTS = 52;

    /** What a successor found in a valid mirror. */
    record Found(MemberState[] members, long[][] fastPaths, long[] lanes, List<Flight> flights) {
    }

    /** @param demotion its {@link Demotion#bits} */
    record MemberState(Member.State state, long pid, int generation, long faultNanos, boolean plannedRestart,
                       boolean backFromPlanned, long[] restarts, long restartAt, int demotion, long unloadBy) {
    }

    /**
     * A request in flight, and how far its requester's lane was handled with it.
     *
     * @param held held by the Engine ({@link #HELD_KIND}), not with a provider
     */
    record Flight(InFlight.Entry entry, Priority lane, long handledTo, boolean held) {
    }

    private final MirrorRegion region;
    private final AtomicBuffer b;
    private final Member[] members;
    private final int ordersLane;
    /** In-flight records free for use, as a stack. */
    private final int[] free = new int[MirrorRegion.IN_FLIGHT_CAPACITY];
    private int freeCount;
    /** Requests in flight that did not fit: while there are any, the mirror is incomplete. */
    private int unmirrored;
    /**
     * Per member, what its record says (state, pid, generation, fault, flags, restarts, the newest, when its restart
     * is due, when its partition host must have unloaded it):
     * rewritten only when this changes.
     */
    private final long[][] written;
    private final boolean[] writtenOnce;

    StateMirror(MirrorRegion region, Member[] members) {
        this.region = region;
        this.b = region.buffer();
        this.members = members;
        this.ordersLane = 3 * members.length;
        this.written = new long[members.length][9];
        this.writtenOnce = new boolean[members.length];
    }

    /** This Engine writes the mirror afresh: everything it knows now, nothing in flight. */
    void start(long generation, String table, Lane orders) {
        region.reset(generation);
        resetFree();
        unmirrored = 0;
        byte[] bytes = table.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > region.bodyCapacity(MirrorRegion.STATIC)) {
            region.markIncomplete(true);
        } else {
            int at = region.begin(MirrorRegion.STATIC, 0);
            b.putBytes(at, bytes);
            region.commit(MirrorRegion.STATIC, 0, STATIC_KIND, bytes.length);
        }
        java.util.Arrays.fill(writtenOnce, false);
        for (Member m : members) {
            member(m);
            for (Priority p : Priority.values()) {
                lane(m, p, m.segment.requests().lane(p).consumed());
            }
        }
        lane(ordersLane, 0, orders.consumed());
    }

    /** A successor carries on with a mirror it found valid: its free in-flight records are the empty ones. */
    void carryOn(List<Flight> flights) {
        boolean[] used = new boolean[MirrorRegion.IN_FLIGHT_CAPACITY];
        for (Flight f : flights) {
            used[f.entry().mirrorSlot()] = true;
        }
        freeCount = 0;
        for (int i = used.length - 1; i >= 0; i--) {
            if (!used[i]) {
                free[freeCount++] = i;
            }
        }
        java.util.Arrays.fill(writtenOnce, false);
        region.advance();
    }

    private void resetFree() {
        freeCount = 0;
        for (int i = MirrorRegion.IN_FLIGHT_CAPACITY - 1; i >= 0; i--) {
            free[freeCount++] = i;
        }
    }

    // --- writing, on the duty cycle ----------------------------------------------------------------------------

    /** A component's record, when what it says changed. */
    void member(Member m) {
        long[] w = written[m.slot];
        long last = m.restarts.isEmpty() ? 0 : m.restarts.peekLast();
        int flags = (m.plannedRestart ? PLANNED : 0) | m.demotion.bits() << DEMOTION_SHIFT
                | (m.backFromPlanned ? BACK_FROM_PLANNED : 0);
        boolean same = writtenOnce[m.slot] && w[0] == m.state.ordinal() && w[1] == m.pid
                && w[2] == m.segment.generation() && w[3] == m.faultNanos && w[4] == flags
                && w[5] == m.restarts.size() && w[6] == last && w[7] == m.restartAt && w[8] == m.unloadBy;
        if (same) {
            return;
        }
        boolean newLanes = writtenOnce[m.slot] && w[2] != m.segment.generation();
        w[0] = m.state.ordinal();
        w[1] = m.pid;
        w[2] = m.segment.generation();
        w[3] = m.faultNanos;
        w[4] = flags;
        w[5] = m.restarts.size();
        w[6] = last;
        w[7] = m.restartAt;
        w[8] = m.unloadBy;
        writtenOnce[m.slot] = true;
        int at = region.begin(MirrorRegion.MEMBER, m.slot);
        b.putInt(at, m.slot);
        b.putInt(at + 4, m.state.ordinal());
        b.putLong(at + 8, m.pid);
        b.putInt(at + 16, m.segment.generation());
        b.putLong(at + 20, m.faultNanos);
        int kept = Math.min(RESTARTS_KEPT, m.restarts.size());
        b.putInt(at + 28, kept);
        b.putInt(at + FLAGS, flags);
        b.putLong(at + RESTART_AT, m.restartAt);
        b.putLong(at + UNLOAD_BY, m.unloadBy);
        int i = 0;
        int skip = m.restarts.size() - kept;
        for (long t : m.restarts) {
            if (skip-- <= 0) {
                b.putLong(at + RESTARTS + 8 * i++, t);
            }
        }
        region.commit(MirrorRegion.MEMBER, m.slot, MEMBER_KIND, RESTARTS + 8 * kept);
        if (newLanes) {
            for (Priority p : Priority.values()) {
                lane(m, p, 0); // reset with the new generation
            }
        }
    }

    /** How far a component's lane was handled: up to {@code position}, the frame just handled included. */
    void lane(Member m, Priority p, long position) {
        lane(3 * m.slot + p.ordinal(), m.segment.generation(), position);
    }

    /** How far the Sovereign's orders lane was handled. */
    void orders(long position) {
        lane(ordersLane, 0, position);
    }

    private void lane(int index, int generation, long position) {
        int at = region.begin(MirrorRegion.LANE, index);
        b.putInt(at, generation);
        b.putLong(at + 8, position);
        region.commit(MirrorRegion.LANE, index, LANE_KIND, 16);
    }

    void fastPath(FastPaths.Path p) {
        int at = region.begin(MirrorRegion.FAST_PATH, p.id);
        b.putInt(at, p.state.ordinal());
        b.putLong(at + 8, p.opened);
        b.putLong(at + 16, p.producedBefore);
        region.commit(MirrorRegion.FAST_PATH, p.id, FAST_PATH_KIND, 24);
    }

    /** A record for a request about to be forwarded; -1 when none is free (the mirror is then incomplete). */
    int reserve() {
        if (freeCount == 0) {
            if (unmirrored++ == 0) {
                region.markIncomplete(true);
            }
            return -1;
        }
        return free[--freeCount];
    }

    /** A reserved record not used after all (the request was refused). */
    void unreserve(int slot) {
        if (slot >= 0) {
            free[freeCount++] = slot;
        } else {
            unmirrored--;
        }
    }

    /**
     * A request was forwarded: its record, with how far its requester's lane is handled by it ({@code handledTo}),
     * in one write.
     */
    void added(InFlight.Entry e, Priority lane, long handledTo) {
        write(e, lane, handledTo, IN_FLIGHT_KIND);
    }

    /** Held by the Engine (a replay, a start on demand): accounted for as held, not as with its provider. */
    void held(InFlight.Entry e, Priority lane) {
        write(e, lane, 0, HELD_KIND);
    }

    private void write(InFlight.Entry e, Priority lane, long handledTo, int kind) {
        int slot = e.mirrorSlot();
        if (slot < 0) {
            return;
        }
        int at = region.begin(MirrorRegion.IN_FLIGHT, slot);
        b.putInt(at, e.requester());
        b.putInt(at + 4, e.provider());
        b.putInt(at + 8, e.serviceId());
        b.putInt(at + 12, e.method());
        b.putLong(at + 16, e.correlation());
        b.putLong(at + 24, e.deadline());
        b.putInt(at + 32, e.pool());
        b.putInt(at + 36, e.buffer());
        b.putInt(at + 40, lane.ordinal());
        b.putInt(at + 44, members[e.requester()].segment.generation());
        b.putInt(at + 48, kind == HELD_KIND ? 0 : members[e.provider()].segment.generation());
        b.putLong(at + 56, handledTo);
        region.commit(MirrorRegion.IN_FLIGHT, slot, kind, 64);
    }

    /** A request is over (answered, expired, or a party died). */
    void removed(InFlight.Entry e) {
        int slot = e.mirrorSlot();
        if (slot < 0) {
            if (--unmirrored == 0) {
                region.markIncomplete(false); // every request in flight has its record again
            }
            return;
        }
        region.clear(MirrorRegion.IN_FLIGHT, slot);
        free[freeCount++] = slot;
    }

    // --- reading, when taking over -----------------------------------------------------------------------------

    /**
     * Reads and checks every record. Returns what the mirror holds, or throws {@link Rejected} saying why it cannot
     * be trusted: a record fails its checksum, is stale, or does not match the components or this Engine's routing
     * table.
     */
    Found read(String table, Lane orders, int services, int[] providers, int pools, int[] poolBuffers) {
        String header = region.checkHeader();
        if (header != null) {
            throw new Rejected(header);
        }
        MirrorRegion.Record s = valid(MirrorRegion.STATIC, 0, STATIC_KIND);
        byte[] mine = table.getBytes(StandardCharsets.UTF_8);
        byte[] theirs = new byte[s.length()];
        b.getBytes(s.body(), theirs);
        if (!java.util.Arrays.equals(mine, theirs)) {
            throw new Rejected("it describes another routing table");
        }
        MemberState[] states = new MemberState[members.length];
        for (Member m : members) {
            states[m.slot] = memberState(m);
        }
        long[][] paths = new long[region.count(MirrorRegion.FAST_PATH)][];
        for (int id = 0; id < paths.length; id++) {
            MirrorRegion.Record r = valid(MirrorRegion.FAST_PATH, id, FAST_PATH_KIND);
            int state = b.getInt(r.body());
            if (state < 0 || state >= FastPaths.State.values().length) {
                throw new Rejected("fast path " + id + " is in no state " + state);
            }
            paths[id] = new long[]{state, b.getLong(r.body() + 8), b.getLong(r.body() + 16)};
        }
        List<Flight> flights = flights(services, providers, pools, poolBuffers);
        long[] lanes = new long[3 * members.length + 1];
        for (Member m : members) {
            for (Priority p : Priority.values()) {
                int index = 3 * m.slot + p.ordinal();
                lanes[index] = handledTo(index, m.segment.generation(), m.segment.requests().lane(p), flights, m, p);
            }
        }
        lanes[ordersLane] = handledTo(ordersLane, 0, orders, flights, null, null);
        return new Found(states, paths, lanes, flights);
    }

    private MemberState memberState(Member m) {
        MirrorRegion.Record r = valid(MirrorRegion.MEMBER, m.slot, MEMBER_KIND);
        int at = r.body();
        int state = b.getInt(at + 4);
        int generation = b.getInt(at + 16);
        int kept = b.getInt(at + 28);
        int flags = b.getInt(at + FLAGS);
        if (b.getInt(at) != m.slot || state < 0 || state >= Member.State.values().length || kept < 0
                || kept > RESTARTS_KEPT || r.length() != RESTARTS + 8 * kept || (flags & ~(PLANNED | DEMOTION_BITS | BACK_FROM_PLANNED)) != 0) {
            throw new Rejected("the record of " + m.spec.id() + " does not hold together");
        }
        if (generation != m.segment.generation()) {
            throw new Rejected("it is stale: " + m.spec.id() + "'s lanes are of generation " + m.segment.generation()
                    + ", its record says " + generation);
        }
        Member.State s = Member.State.values()[state];
        long pid = b.getLong(at + 8);
        long attached = m.segment.componentPid();
        // A component starting may not have attached yet (it writes its pid when it does).
        if ((s == Member.State.READY || s == Member.State.STARTING && attached != 0) && pid != attached) {
            throw new Rejected("it says " + m.spec.id() + " runs as pid " + pid + ", its lanes say " + attached);
        }
        long[] restarts = new long[kept];
        for (int i = 0; i < kept; i++) {
            restarts[i] = b.getLong(at + RESTARTS + 8 * i);
        }
        return new MemberState(s, pid, generation, b.getLong(at + 20), (flags & PLANNED) != 0,
                (flags & BACK_FROM_PLANNED) != 0, restarts, b.getLong(at + RESTART_AT),
                (flags & DEMOTION_BITS) >>> DEMOTION_SHIFT, b.getLong(at + UNLOAD_BY));
    }

    private List<Flight> flights(int services, int[] providers, int pools, int[] poolBuffers) {
        List<Flight> flights = new ArrayList<>();
        Set<Long> keys = new HashSet<>();
        for (int slot = 0; slot < region.count(MirrorRegion.IN_FLIGHT); slot++) {
            MirrorRegion.Record r = region.read(MirrorRegion.IN_FLIGHT, slot);
            if (r.status() == MirrorRegion.Status.CORRUPT) {
                throw new Rejected(r.why());
            }
            if (r.status() != MirrorRegion.Status.VALID) {
                continue; // empty, or the one the dead Engine was writing: that request's frame is read again
            }
            int at = r.body();
            int requester = b.getInt(at);
            int provider = b.getInt(at + 4);
            int service = b.getInt(at + 8);
            long correlation = b.getLong(at + 16);
            int pool = b.getInt(at + 32);
            int buffer = b.getInt(at + 36);
            int lane = b.getInt(at + 40);
            boolean held = r.kind() == HELD_KIND;
            boolean sane = (r.kind() == IN_FLIGHT_KIND || held) && r.length() == 64 && requester >= 0
                    && requester < members.length && service >= 0 && service < services
                    && provider == providers[service] && correlation >= 0 && correlation <= InFlight.MAX_CORRELATION
                    && lane >= 0 && lane < Priority.values().length
                    && (pool == -1 && buffer == -1 || pool >= 0 && pool < pools && buffer >= 0
                    && buffer < poolBuffers[pool]);
            if (!sane) {
                throw new Rejected("in-flight record " + slot + " does not hold together");
            }
            if (b.getInt(at + 44) != members[requester].segment.generation()
                    || !held && b.getInt(at + 48) != members[provider].segment.generation()) {
                throw new Rejected("in-flight record " + slot + " is stale: a party to it was restarted since");
            }
            if (!keys.add(InFlight.key(requester, correlation))) {
                throw new Rejected("two in-flight records for one call");
            }
            flights.add(new Flight(new InFlight.Entry(requester, correlation, provider, service, b.getInt(at + 12),
                    b.getLong(at + 24), pool, buffer, slot), Priority.values()[lane], b.getLong(at + 56), held));
        }
        return flights;
    }

    /**
     * How far a lane was handled: its record, or a request handled with it, whichever says more. What lies between
     * the lane's head and there must be whole committed frames: the dying Engine handled them, not yet released.
     */
    private long handledTo(int index, int generation, Lane lane, List<Flight> flights, Member m, Priority p) {
        MirrorRegion.Record r = region.read(MirrorRegion.LANE, index);
        if (r.status() == MirrorRegion.Status.CORRUPT) {
            throw new Rejected(r.why());
        }
        long handled = lane.consumed();
        if (r.status() == MirrorRegion.Status.VALID) {
            if (r.kind() != LANE_KIND || b.getInt(r.body()) != generation) {
                throw new Rejected("lane record " + index + " is stale");
            }
            handled = Math.max(handled, b.getLong(r.body() + 8));
        }
        for (Flight f : flights) {
            if (m != null && f.entry().requester() == m.slot && f.lane() == p) {
                handled = Math.max(handled, f.handledTo());
            }
        }
        if (!lane.holdsFramesTo(handled)) {
            throw new Rejected("lane record " + index + " says more was handled than the lane holds");
        }
        return handled;
    }

    private MirrorRegion.Record valid(int area, int i, int kind) {
        MirrorRegion.Record r = region.read(area, i);
        switch (r.status()) {
            case CORRUPT -> throw new Rejected(r.why());
            case EMPTY -> throw new Rejected("a record it must hold is missing");
            case TORN -> throw new Rejected("the Engine died writing one of its records");
            case VALID -> {
                if (r.kind() != kind) {
                    throw new Rejected("a record is of the wrong kind");
                }
            }
        }
        return r;
    }

    /** The mirror cannot be trusted, and why. */
    static final class Rejected extends RuntimeException {
        Rejected(String why) {
            super(why, null, false, false);
        }
    }
}
