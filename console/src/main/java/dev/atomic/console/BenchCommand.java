package dev.atomic.console;

import dev.atomic.bench.BridgeBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
                "Benchmarks with side-by-side baselines in the same run.",
                "",
                "Each writes a results file, bench/results/<name>.json: the machine, the profile, every figure, "
                        + "and for each target whether it was met, or by how much it was missed."},
        subcommands = {BenchCommand.Bridge.class})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    @Command(name = "bridge", mixinStandardHelpOptions = true,
            description = {
                    "Request/reply between two processes over each bridge path.",
                    "",
                    "Paths, side by side in one run, each end its own JVM:",
                    "  (a) brokered through the Engine   a real boot: ping and pong components",
                    "  (b) fast path                     the same, over a fast path the Engine opened",
                    "  (c) bare shared-memory ring       the floor: spin 200 polls, then",
                    "                                    sleep on the futex doorbell",
                    "      and both ends spinning        for information",
                    "  (d) Unix domain socket",
                    "  (e) TCP loopback                  TCP_NODELAY",
                    "",
                    "Measured: p50, p99, p99.9 round trip (us) and throughput (msg/s), for 64 B messages and "
                            + "64 KiB transfers (copying, and zero-copy through a pool for (a)); for 64 B also "
                            + "pipelined throughput, 32 in flight; and a critical call's latency through the Engine "
                            + "with and without a bulk flood. The client times every round trip in its own process, "
                            + "after a warm-up.",
                    "",
                    "Takes about 4 minutes (3 interleaved rounds); --quick about 30 s. Other load on the machine "
                            + "shows in the tails.",
                    "",
                    "Exit status 1 when a path failed to run (its figures say why). A missed target is a result, "
                            + "not a failure."})
    static final class Bridge implements Callable<Integer> {
        @Option(names = "--quick", description = "A smoke run of about 30 s: one round, fewer samples.")
        boolean quick;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Where to write the results (default: bench/results/bridge.json in this checkout).")
        Path out;

        @Override
        public Integer call() throws Exception {
            return BridgeBench.run(quick, out != null ? out : BridgeBench.defaultOutput(), System.out);
        }
    }
}
