package dev.atomic.console;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.PoolRef;
import dev.atomic.bridge.Priority;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.PoolSpec;
import dev.atomic.demo.EchoService;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * The hostile component. It writes straight into its own request ring (never through the SDK: the ring has one
 * producer) what the Engine must refuse. The Engine kills it after the flood, after the corrupt ring and after it
 * let go of its host lock alive, so its generation says where it is: 0 frame attacks and the flood, 1 the corrupt
 * ring, 2 the host lock, then it rests. It is granted
 * echo's method 1 and a buffer pool for echo, so that each refusal is for what it did, not for lacking a grant.
 */
public final class Saboteur implements Component {
    private static final int ECHO = HostileSystems.HOSTILE.serviceId("echo");
    private static final int NORMAL = Priority.NORMAL.ordinal();
    private static final int UNKNOWN_TYPE = 99;
    private static final int UNKNOWN_FLAG = 0x8000;
    /** Echo has no method 2, and the saboteur no grant for it. */
    private static final int UNGRANTED_METHOD = 2;
    private static final long PAUSE_MILLIS = 100;
    private static final long FLOOD_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long FLOOD_REPORT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private PrintStream log;
    private long correlation;

    @Override
    public void init(ComponentContext context) {
        log = context.log();
    }

    /** Attacks from a thread of its own: the host's thread keeps draining the ERRORs the Engine answers with. */
    @Override
    public void start() {
        Thread.ofPlatform().name("saboteur").daemon().start(this::run);
    }

    private void run() {
        try (OwnLanes own = OwnLanes.map()) {
            int generation = own.segment.generation();
            switch (generation) {
                case 0 -> frameAttacks(own);
                case 1 -> corruptLane(own);
                case 2 -> fakeDeath(own);
                default -> log.println("saboteur: generation " + generation + ", resting");
            }
        } catch (Exception e) {
            log.println("saboteur: gave up: " + e);
        }
    }

    private void frameAttacks(OwnLanes own) throws InterruptedException {
        int slot = own.slot();
        Thread.sleep(5 * PAUSE_MILLIS); // let steady's traffic get going: the point is that it survives all this
        attack("truncated", () -> own.raw(FrameType.REQUEST, 16, (b, i) -> {
            b.putInt(i + Frame.SOURCE, slot);
            b.putInt(i + Frame.TARGET, ECHO);
        }));
        attack("garbage-after-header", () -> own.raw(FrameType.REQUEST, Frame.HEADER_LENGTH + 32, (b, i) -> {
            Frame.header(b, i, slot, ECHO, EchoService.UPPERCASE, 0, next(), 0, 8, NORMAL, 0);
            b.setMemory(i + Frame.HEADER_LENGTH, 32, (byte) 0xEE);
        }));
        attack("payload-longer-than-record", () -> own.raw(FrameType.REQUEST, Frame.HEADER_LENGTH + 8, (b, i) -> {
            Frame.header(b, i, slot, ECHO, EchoService.UPPERCASE, 0, next(), 0, 4096, NORMAL, 0);
            b.setMemory(i + Frame.HEADER_LENGTH, 8, (byte) 'x');
        }));
        attack("unknown-type", () -> offered(own.lane.offer(UNKNOWN_TYPE, slot, ECHO, 0, 0, next(), 0)));
        attack("bad-version", () -> own.raw(FrameType.REQUEST, Frame.HEADER_LENGTH, (b, i) -> {
            Frame.header(b, i, slot, ECHO, EchoService.UPPERCASE, 0, next(), 0, 0, NORMAL, 0);
            b.putByte(i + Frame.VERSION, (byte) 2);
        }));
        attack("unknown-flags", () -> offered(own.lane.offer(FrameType.REQUEST, UNKNOWN_FLAG, slot, ECHO,
                EchoService.UPPERCASE, 0, next(), 0, null, 0, 0)));
        attack("forged-source", () -> {
            offered(own.lane.offer(FrameType.REQUEST, HostileSystems.slotOf("echo"), ECHO, EchoService.UPPERCASE, 0,
                    next(), 0));
            offered(own.lane.offer(FrameType.REQUEST, HostileSystems.slotOf("steady"), ECHO, EchoService.UPPERCASE,
                    0, next(), 0));
        });
        // An answer to steady's first call (correlation 1), which steady never asked of the saboteur.
        attack("forged-answer", () -> offered(own.lane.offer(FrameType.REPLY, slot, HostileSystems.slotOf("steady"),
                EchoService.UPPERCASE, 0, 1, 0)));
        attack("ungranted-call", () -> offered(own.lane.offer(FrameType.REQUEST, slot, ECHO, UNGRANTED_METHOD,
                0, next(), 0)));
        PoolSpec mine = HostileSystems.HOSTILE.pools().get(HostileSystems.poolOf("saboteur"));
        long poolEnd = (long) mine.buffers() * mine.bufferSize();
        attack("pool-past-end", () -> pooledCall(own, HostileSystems.poolOf("saboteur"), poolEnd, 64));
        attack("pool-not-its-own", () -> pooledCall(own, HostileSystems.poolOf("steady"), 0, 64));
        attack("flood", () -> flood(own));
    }

    /**
     * Ungranted calls as fast as the ring takes them. Once throttled the ring stays full and most offers are
     * refused at once: each is still an attempt, and the attempt rate is what the Engine faces.
     */
    private void flood(OwnLanes own) {
        long start = System.nanoTime();
        long nextReport = start + FLOOD_REPORT_NANOS;
        long attempted = 0;
        long accepted = 0;
        for (long now = start; now - start < FLOOD_NANOS; now = System.nanoTime()) {
            for (int i = 0; i < 1024; i++) {
                attempted++;
                if (own.lane.offer(FrameType.REQUEST, own.slot(), ECHO, UNGRANTED_METHOD, 0, next(), 0)) {
                    accepted++;
                }
            }
            if (now - nextReport >= 0) {
                long micros = TimeUnit.NANOSECONDS.toMicros(now - start);
                log.println("saboteur: flood attempted " + attempted + " accepted " + accepted + " in "
                        + micros / 1000 + " ms (" + attempted * 1_000_000 / micros + " attempts/s)");
                nextReport += FLOOD_REPORT_NANOS;
            }
        }
        log.println("saboteur: flooded for 3 s and was not cut off");
    }

    /** A committed record whose length runs past the ring's end: the Engine must not read it, and kills us. */
    private void corruptLane(OwnLanes own) throws InterruptedException {
        log.println("saboteur: attack past-ring-end");
        own.pastTheEnd(FrameType.REQUEST, 4096);
        Thread.sleep(TimeUnit.SECONDS.toMillis(10));
        log.println("saboteur: corrupted its lane 10 s ago and was not cut off");
    }

    /** Its host lock let go of while it lives: the Engine takes that for its death, and must kill it. */
    private void fakeDeath(OwnLanes own) throws InterruptedException {
        Thread.sleep(5 * PAUSE_MILLIS); // its lock watched by then
        log.println("saboteur: attack let-go-of-host-lock");
        own.letGoOfHostLock();
        Thread.sleep(TimeUnit.SECONDS.toMillis(10));
        log.println("saboteur: let go of its host lock 10 s ago and was not killed");
    }

    /** A granted call whose payload references pool bytes: the Engine checks them against its own table. */
    private void pooledCall(OwnLanes own, int pool, long offset, int length) {
        UnsafeBuffer ref = new UnsafeBuffer(new byte[PoolRef.LENGTH]);
        PoolRef.write(ref, 0, pool, offset, length);
        offered(own.lane.offer(FrameType.REQUEST, Frame.FLAG_POOL, own.slot(), ECHO, EchoService.UPPERCASE, 0, next(),
                0, ref, 0, PoolRef.LENGTH));
    }

    private void attack(String name, Runnable attack) throws InterruptedException {
        log.println("saboteur: attack " + name);
        attack.run();
        Thread.sleep(PAUSE_MILLIS);
    }

    private static void offered(boolean offered) {
        if (!offered) {
            throw new IllegalStateException("own request ring is full");
        }
    }

    private long next() {
        return ++correlation;
    }
}
