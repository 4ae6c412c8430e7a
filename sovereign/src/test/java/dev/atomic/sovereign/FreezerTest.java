package dev.atomic.sovereign;

import dev.atomic.component.Activation;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.SystemSpec;
import dev.atomic.system.cgroup.Cgroup;
import dev.atomic.system.cgroup.CgroupMounts;
import dev.atomic.system.cgroup.CgroupV1;
import dev.atomic.system.cgroup.CgroupV2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.atomic.component.SystemSpec.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Sovereign's freezer, on cgroup trees in temporary directories shaped like the kernel's: v2's cgroup.freeze
 * (with cgroup.events saying when it is done), v1's freezer.state, and a host where nothing can be frozen.
 */
class FreezerTest {
    private static final List<ComponentSpec> COMPONENTS = List.of(new ComponentSpec("lazy", Kernel.SERVICES, "service",
            "x.Lazy", refs("lazy@1"), refs(), 1, 1, SystemSpec.DEFAULT_RATE)
            .withActivation(Activation.onDemand(Duration.ofSeconds(1), Duration.ofSeconds(2))));

    @TempDir
    Path root;

    private record Fixed(Optional<Cgroup> group, String why) implements Freezer.Groups {
        @Override
        public Optional<Cgroup> freezable(ComponentSpec spec) {
            return group;
        }

        @Override
        public String whyNotFreezable() {
            return why;
        }
    }

    /** What the freezer told the Sovereign to tell the Engine: "frozen"/"thawed", or why not. */
    private static String ask(Freezer freezer, boolean freeze) throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        freezer.request(0, freeze, (asked, failure) -> done.complete(failure != null ? failure
                : asked ? "frozen" : "thawed"));
        return done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void onCgroupV2ItWritesCgroupFreezeAndWaitsForCgroupEvents() throws Exception {
        Path dir = Files.createDirectories(root.resolve("atomic/services/lazy"));
        for (Path d = dir; !d.equals(root.getParent()); d = d.getParent()) {
            Files.writeString(d.resolve("cgroup.controllers"), "cpu memory pids\n");
            Files.writeString(d.resolve("cgroup.subtree_control"), "");
        }
        Files.writeString(dir.resolve("cgroup.freeze"), "0\n");
        Files.writeString(dir.resolve("cgroup.events"), "populated 1\nfrozen 1\n"); // as the kernel says once done
        Cgroup lazy = new CgroupV2(root).create("atomic/services/lazy");
        try (Freezer freezer = new Freezer(COMPONENTS, new Fixed(Optional.of(lazy), null))) {
            assertEquals("frozen", ask(freezer, true));
            assertEquals("1", Files.readString(dir.resolve("cgroup.freeze")));
            assertTrue(freezer.frozen(0));

            Files.writeString(dir.resolve("cgroup.events"), "populated 1\nfrozen 0\n");
            assertEquals("thawed", ask(freezer, false));
            assertEquals("0", Files.readString(dir.resolve("cgroup.freeze")));
            assertFalse(freezer.frozen(0));
        }
    }

    @Test
    void onCgroupV1ItWritesFreezerStateAndThawsBeforeAStartAndBeforeShutdown() throws Exception {
        Path freezerRoot = Files.createDirectory(root.resolve("freezer"));
        CgroupV1 v1 = new CgroupV1(CgroupMounts.parse("1 1 0:1 / " + freezerRoot
                + " rw - cgroup cgroup rw,freezer\n"));
        Cgroup lazy = v1.create("atomic/services/lazy");
        Path state = freezerRoot.resolve("atomic/services/lazy/freezer.state");
        Files.writeString(state, "THAWED");
        try (Freezer freezer = new Freezer(COMPONENTS, new Fixed(Optional.of(lazy), null))) {
            assertEquals("frozen", ask(freezer, true));
            assertEquals("FROZEN", Files.readString(state));
            freezer.thawNow(0);
            assertEquals("THAWED", Files.readString(state), "a new process must not join a frozen group");
            assertEquals("frozen", ask(freezer, true));
            freezer.thawAll();
            assertEquals("THAWED", Files.readString(state));
            assertFalse(freezer.frozen(0));
        }
    }

    @Test
    void aFreezeIsDoneOnTheFreezersThreadAndAThawWithNothingBeforeItAtOnce() throws Exception {
        Path freezerRoot = Files.createDirectory(root.resolve("freezer"));
        Cgroup lazy = new CgroupV1(CgroupMounts.parse("1 1 0:1 / " + freezerRoot + " rw - cgroup cgroup rw,freezer\n"))
                .create("atomic/services/lazy");
        Files.writeString(freezerRoot.resolve("atomic/services/lazy/freezer.state"), "THAWED");
        try (Freezer freezer = new Freezer(COMPONENTS, new Fixed(Optional.of(lazy), null))) {
            CompletableFuture<String> froze = new CompletableFuture<>();
            freezer.request(0, true, (asked, failure) -> froze.complete(Thread.currentThread().getName()));
            assertEquals("sovereign-freezer", froze.get(10, TimeUnit.SECONDS));
            List<String> thawed = new java.util.ArrayList<>();
            freezer.request(0, false, (asked, failure) -> thawed.add(Thread.currentThread().getName()));
            assertEquals(List.of(Thread.currentThread().getName()), thawed, "done before request returned");
        }
    }

    @Test
    void whereNothingCanBeFrozenAFreezeSaysWhyAndAThawIsDoneAlready() throws Exception {
        try (Freezer freezer = new Freezer(COMPONENTS, new Fixed(Optional.empty(),
                "not carved (--no-carving): every component shares one group"))) {
            assertEquals("not carved (--no-carving): every component shares one group", ask(freezer, true));
            assertFalse(freezer.frozen(0));
            assertEquals("thawed", ask(freezer, false));
        }
    }
}
