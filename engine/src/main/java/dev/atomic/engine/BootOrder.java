package dev.atomic.engine;

import dev.atomic.component.Kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The boot's start order, from the calls in the manifests rather than kernel by kernel. Every component started at
 * boot is started at once, whatever its kernel, so that their JVMs start side by side; but a component's own code
 * (its init and start, and so its first calls) runs only once every service it calls has its provider up (ready, or
 * given up on: it will not come, and the caller runs without it as after any failure). The Engine holds its HELLO
 * until then, answering it with WELCOME. Strict layering says who may call and hold whom, not who starts first.
 * <p>
 * Never waited for: an on-demand provider (the Engine holds a request to it and starts it then), a component's own
 * services, and a provider that calls back into the caller, directly or not (a cycle of calls), which would leave both
 * waiting for ever. A HELLO is held at most {@link #MAX_HOLD_NANOS}, under the 10 s a component host waits for its
 * WELCOME: past that the component starts without what is not up yet, and hears SERVICE_UP when it is, as after any
 * provider's death.
 */
final class BootOrder {
    private final Member[] members;
    /** Per slot, the slots of the providers it waits for. */
    private final int[][] waitsFor;
    /** Per slot, whether its HELLO is held, since when (nanoTime), and the pid that said it. */
    private final boolean[] held;
    private final long[] heldSince;
    private final long[] heldPid;
    static final long MAX_HOLD_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(8);

    BootOrder(Member[] members, List<String> services, int[] providers) {
        this.members = members;
        this.held = new boolean[members.length];
        this.heldSince = new long[members.length];
        this.heldPid = new long[members.length];
        boolean[][] calls = new boolean[members.length][members.length];
        for (Member m : members) {
            for (var c : m.spec.calls()) {
                int id = services.indexOf(c.name());
                if (id >= 0 && providers[id] != m.slot) {
                    calls[m.slot][providers[id]] = true;
                }
            }
        }
        boolean[][] reaches = closure(calls);
        this.waitsFor = new int[members.length][];
        for (Member m : members) {
            List<Integer> waits = new ArrayList<>();
            for (int p = 0; p < members.length; p++) {
                if (calls[m.slot][p] && !reaches[p][m.slot] && !OnDemand.onDemand(members[p])) {
                    waits.add(p);
                }
            }
            waitsFor[m.slot] = waits.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** Who reaches whom through calls (Warshall's transitive closure; a system has few components). */
    private static boolean[][] closure(boolean[][] calls) {
        int n = calls.length;
        boolean[][] r = new boolean[n][];
        for (int i = 0; i < n; i++) {
            r[i] = calls[i].clone();
        }
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                if (r[i][k]) {
                    for (int j = 0; j < n; j++) {
                        r[i][j] |= r[k][j];
                    }
                }
            }
        }
        return r;
    }

    /** Every component the boot starts: all but those on demand, all at once. */
    List<Member> atBoot() {
        return Arrays.stream(members).filter(m -> !OnDemand.onDemand(m)).toList();
    }

    /** At {@code m}'s HELLO during the boot: true when it must wait for a provider, and is held from {@code now}. */
    boolean holds(Member m, long now) {
        if (providersUp(m)) {
            return false;
        }
        held[m.slot] = true;
        heldSince[m.slot] = now;
        heldPid[m.slot] = m.pid;
        return true;
    }

    /**
     * The held components to welcome now: those whose providers are all up, and those held too long; each once. One
     * that died meanwhile is dropped (its restart says HELLO again).
     */
    List<Member> released(long now) {
        List<Member> due = new ArrayList<>();
        for (Member m : members) {
            if (!held[m.slot]) {
                continue;
            }
            if (m.state != Member.State.STARTING || m.pid != heldPid[m.slot]) {
                held[m.slot] = false;
            } else if (providersUp(m) || now - heldSince[m.slot] >= MAX_HOLD_NANOS) {
                held[m.slot] = false;
                due.add(m);
            }
        }
        return due;
    }

    /** Whether every provider {@code m} waits for is up. */
    boolean providersUp(Member m) {
        return Arrays.stream(waitsFor[m.slot]).allMatch(p -> up(members[p]));
    }

    /** Whether every boot component of {@code kernel} (all kernels: null) is up, or resting on demand. */
    boolean settled(Kernel kernel) {
        return Arrays.stream(members).filter(m -> kernel == null || m.spec.kernel() == kernel)
                .allMatch(m -> up(m) || OnDemand.resting(m));
    }

    /** Whom {@code m}'s init waits for, for the boot report ("console+echo"): "" when it runs at once. */
    String waited(Member m) {
        return Arrays.stream(waitsFor[m.slot]).mapToObj(p -> members[p].spec.id()).collect(Collectors.joining("+"));
    }

    private static boolean up(Member m) {
        return m.state == Member.State.READY || m.state == Member.State.GAVE_UP;
    }
}
