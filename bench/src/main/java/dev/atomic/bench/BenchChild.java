package dev.atomic.bench;

import dev.atomic.sovereign.BootOptions;
import dev.atomic.sovereign.EngineFailover;
import dev.atomic.sovereign.Sovereign;
import dev.atomic.system.Prctl;
import dev.atomic.system.Signals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Main class of the JVMs the harness starts. Talks to the harness over standard output only: the server prints
 * {@code READY <address>} once it can be reached, the client prints {@code RESULT <measurement>}; the Sovereign of a
 * measured boot prints what Atomic prints. The command lines are built here too, so both sides of that little
 * protocol live in one place.
 */
public final class BenchChild {
    static final String READY = "READY ";
    static final String RESULT = "RESULT ";
    private static final String SERVER = "server";
    private static final String CLIENT = "client";
    private static final String ATOMIC = "atomic";

    private BenchChild() {
    }

    static List<String> serverArgs(Transport transport, Workload workload, List<String> rendezvous) {
        List<String> args = new ArrayList<>(List.of(SERVER, transport.id(), Integer.toString(workload.payloadBytes())));
        args.addAll(rendezvous);
        return args;
    }

    static List<String> clientArgs(Transport transport, Workload workload, Counts counts, String serverAddress,
                                   List<String> rendezvous) {
        List<String> args = new ArrayList<>(List.of(CLIENT, transport.id(), Integer.toString(workload.payloadBytes()),
                Integer.toString(counts.warmup()), Integer.toString(counts.measured()),
                Integer.toString(workload.inFlight()), serverAddress));
        args.addAll(rendezvous);
        return args;
    }

    /**
     * A Sovereign booting {@code system}, the way {@code atomic boot --system} does ({@code carve} false: as
     * {@code --no-carving} does).
     */
    static List<String> atomicArgs(String system, String instance, Path home, boolean carve) {
        return atomicArgs(system, instance, home, carve, EngineFailover.DEFAULT);
    }

    /** The same, with the Engine's restart budget and standby as {@code --engine-restarts} and {@code --no-standby} set them. */
    static List<String> atomicArgs(String system, String instance, Path home, boolean carve, EngineFailover failover) {
        return List.of(ATOMIC, system, instance, home.toString(), Boolean.toString(carve),
                Integer.toString(failover.restartsPerMinute()), Boolean.toString(failover.warmStandby()));
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case PlainStart.ROLE -> PlainStart.run(args[1]);
            case SERVER -> serve(Transports.byId(args[1]), Integer.parseInt(args[2]),
                    List.of(Arrays.copyOfRange(args, 3, args.length)));
            case CLIENT -> measure(Transports.byId(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), args[6],
                    List.of(Arrays.copyOfRange(args, 7, args.length)));
            case ATOMIC -> boot(args[1], args[2], Path.of(args[3]), Boolean.parseBoolean(args[4]),
                    new EngineFailover(Integer.parseInt(args[5]), Boolean.parseBoolean(args[6])));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    private static void boot(String system, String instance, Path home, boolean carve, EngineFailover failover)
            throws IOException {
        // Whatever ends the harness, Atomic stops in order: SIGTERM is its Ctrl-C.
        Prctl.setParentDeathSignal(Signals.SIGTERM);
        System.exit(Sovereign.boot(new BootOptions(system, instance, home, Optional.empty(), carve, Optional.empty(),
                failover), System.out));
    }

    private static void serve(Transport transport, int payloadBytes, List<String> rendezvous) throws IOException {
        try (EchoServer server = transport.bind(rendezvous, payloadBytes)) {
            System.out.println(READY + server.address());
            System.out.flush();
            server.serve();
        }
    }

    private static void measure(Transport transport, int payloadBytes, int warmup, int count, int inFlight,
                                String serverAddress, List<String> rendezvous) throws IOException {
        Measurement m;
        try (Endpoint endpoint = transport.connect(rendezvous, serverAddress, payloadBytes)) {
            m = inFlight > 1 ? ClientLoop.pipelined(endpoint, warmup, count, inFlight)
                    : ClientLoop.roundTrips(endpoint, warmup, count);
        }
        System.out.println(RESULT + m.encode());
    }
}
