package dev.atomic.auditor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuListTest {

    @Test
    void parsesRangesAndSingles() {
        assertEquals(List.of(0, 1, 2, 3, 16, 17, 18, 19), CpuList.parse("0-3,16-19"));
        assertEquals(List.of(0, 4), CpuList.parse("0,4\n"));
        assertEquals(List.of(), CpuList.parse("\n"));
    }

    @Test
    void formatsRunsAsRanges() {
        assertEquals("0-7,16-23", CpuList.format(CpuList.parse("16-23,0-7")));
        assertEquals("1,3,5-6", CpuList.format(List.of(6, 5, 3, 1)));
        assertEquals("", CpuList.format(List.of()));
    }
}
