package dev.atomic.system;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecTest {
    /** Run in a child JVM: prints its pid, then becomes a shell that prints its own pid and the environment given. */
    public static void main(String[] args) {
        System.out.println(ProcessHandle.current().pid());
        System.out.flush();
        Exec.replace(List.of("/bin/sh", "-c", "echo $$ $GREETING"), Map.of("GREETING", "replaced"));
    }

    @Test
    void theProcessBecomesTheNewProgramKeepingItsPid() throws Exception {
        List<String> lines = ChildJvm.run(ExecTest.class).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(lines.get(0) + " replaced", lines.get(1), "not the same pid, or not the environment given");
    }

    @Test
    void aMissingProgramIsRefusedAndThisProcessGoesOn() {
        SyscallException e = assertThrows(SyscallException.class,
                () -> Exec.replace(List.of("/nonexistent/program"), Map.of()));
        assertTrue(e.getMessage().contains("execve"), e.getMessage());
        assertTrue(e.getMessage().contains("/nonexistent/program"), e.getMessage());
    }
}
