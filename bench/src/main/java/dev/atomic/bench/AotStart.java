package dev.atomic.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the component hosts' AOT cache buys a cold start: a running host's own command line (its JVM, flags, class
 * path and cache), run as the AOT cache's training class does — a host's start up to where it would say HELLO —
 * timed from process start to exit, alternately with its cache and without (the JVM's default class-data sharing
 * instead), outside any sandbox.
 *
 * @param with    start times with the cache, ms
 * @param without the same without it
 * @param whyNone why nothing was measured, or null
 */
record AotStart(List<Double> with, List<Double> without, String whyNone) {
    private static final String HOST = "dev.atomic.component.ComponentHost";
    private static final String TRAINING = "dev.atomic.component.HostTraining";

    AotStart {
        with = List.copyOf(with);
        without = List.copyOf(without);
    }

    static AotStart none(String why) {
        return new AotStart(List.of(), List.of(), why);
    }

    /** {@code runs} starts each way, from the command line of the host running as {@code pid}. */
    static AotStart measure(long pid, int runs) throws IOException, InterruptedException {
        List<String> argv = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                StandardCharsets.UTF_8).split("\0"));
        int main = argv.indexOf(HOST);
        if (main < 0 || argv.size() < main + 5) {
            return none("pid " + pid + " is not a component host");
        }
        List<String> jvm = argv.subList(0, main);
        if (jvm.stream().noneMatch(a -> a.startsWith("-XX:AOTCache="))) {
            return none("the host runs without an AOT cache");
        }
        List<String> training = List.of(TRAINING, argv.get(main + 2), argv.get(main + 4));
        List<String> withCache = new ArrayList<>(jvm);
        withCache.addAll(training);
        List<String> withoutCache = new ArrayList<>(jvm.stream().filter(a -> !a.startsWith("-XX:AOTCache=")).toList());
        withoutCache.add(1, "-Xshare:auto");
        withoutCache.addAll(training);
        List<String> strict = new ArrayList<>(jvm);
        strict.add("-XX:AOTMode=on");
        strict.addAll(training);
        if (time(strict) < 0) {
            return none("the JVM refuses the host's AOT cache (-XX:AOTMode=on failed)");
        }
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            double a = time(withCache);
            double b = time(withoutCache);
            if (a < 0 || b < 0) {
                return none("a training run failed");
            }
            with.add(a);
            without.add(b);
        }
        return new AotStart(with, without, null);
    }

    /** Wall time from start to exit, ms; -1 when it failed. */
    private static double time(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        double ms = (System.nanoTime() - start) / 1e6;
        return p.exitValue() == 0 ? ms : -1;
    }
}
