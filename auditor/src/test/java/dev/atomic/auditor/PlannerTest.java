package dev.atomic.auditor;

import static dev.atomic.auditor.Fixtures.GIB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {

    @Test
    void ninetySixCpusOnFourNodesReserveTwelveThreadsThreePerNode() {
        List<List<Integer>> cores = new ArrayList<>();
        List<List<Integer>> nodes = new ArrayList<>();
        for (int cpu = 0; cpu < 96; cpu++) {
            cores.add(List.of(cpu));
        }
        for (int node = 0; node < 4; node++) {
            nodes.add(CpuList.parse(node * 24 + "-" + (node * 24 + 23)));
        }
        Cpu cpu = new Cpu("test", 4, 96, 96, 1, cores, List.of(), List.of(), nodes, nodes);
        Features features = Fixtures.audit("xeon-2s-128g").features();

        Reservation r = ReservationPlanner.plan(cpu, 512 * GIB, features).reservation();
        assertEquals(Profile.DOMINANCE, r.profile());
        assertEquals(Mode.PARTITIONED, r.mode());
        assertEquals(12, r.engineThreads());
        assertEquals(List.of(21, 22, 23, 45, 46, 47, 69, 70, 71, 93, 94, 95), r.engineCpus());
        assertEquals(4 * GIB, r.bridgeBytes());
    }

    @Test
    void sixteenGigabyteMachinesCountAsSixteenGib() {
        // A 16 GB machine shows about 15.5 GiB in MemTotal: firmware and kernel keep the rest.
        assertEquals(true, ReservationPlanner.atLeastGib(16_270_000L * 1024, 16));
        assertEquals(false, ReservationPlanner.atLeastGib(14 * GIB, 16));
    }
}
