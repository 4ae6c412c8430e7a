package dev.atomic.component;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TripwiresTest {
    @Test
    void thePerCpuDecoysShareOneDirectoryBoundAtDevCpuAndEachStillSaysWhatItStandsFor(@TempDir Path dir)
            throws Exception {
        Path msr1 = Path.of("/dev/cpu/1/msr");
        assertEquals(Path.of("/dev/cpu"), Tripwires.bindPoint(msr1));
        assertEquals(Path.of("/etc/shadow"), Tripwires.bindPoint(Path.of("/etc/shadow")));
        Path group = Tripwires.decoy(dir, "app", Path.of("/dev/cpu"));
        assertEquals(group.resolve("1").resolve("msr"), Tripwires.decoy(dir, "app", msr1));
        Path shadow = Tripwires.decoy(dir, "app", Path.of("/etc/shadow"));
        Files.createDirectories(Tripwires.decoy(dir, "app", msr1).getParent());
        Files.createFile(Tripwires.decoy(dir, "app", msr1));
        Files.createFile(shadow);
        Map<Object, Tripwires.Tripped> index = Tripwires.index(dir);
        assertEquals(new Tripwires.Tripped("app", msr1), index.get(key(Tripwires.decoy(dir, "app", msr1))));
        assertEquals(new Tripwires.Tripped("app", Path.of("/etc/shadow")), index.get(key(shadow)));
    }

    private static Object key(Path p) throws Exception {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }
}
