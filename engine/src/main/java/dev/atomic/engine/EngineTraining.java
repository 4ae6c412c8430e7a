package dev.atomic.engine;

import dev.atomic.component.SystemSpec;
import dev.atomic.vault.Sha256;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run of the Engine's AOT cache (JEP 483, 514, 515), started by the Sovereign as
 * {@code EngineTraining <system>} with the Engine's class path and JVM flags: it does what an Engine's start does
 * without touching a real bridge — reads a JVM's class path from {@code /proc} and hashes it (here its own, as an
 * Engine checks the Sovereign's), then rehearses takeovers and their traffic on private bridges ({@link Rehearsal},
 * as a standby does) — so the cache holds those classes, linked, and their profiles. Exits 0. Run again against the
 * cache with {@code -XX:AOTMode=on}, it says whether the JVM accepts the cache.
 */
public final class EngineTraining {
    private EngineTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: EngineTraining <system>");
            System.exit(2);
        }
        SystemSpec system = SystemSpec.load(args[0]);
        for (Path p : SovereignCheck.classPathOf(ProcessHandle.current().pid())) {
            if (Files.isRegularFile(p)) {
                Sha256.of(p);
            }
        }
        Rehearsal.run(system, Path.of(System.getProperty("java.io.tmpdir")));
        System.exit(0); // the rehearsal's Engines leave no thread that matters; the cache is written on exit
    }
}
