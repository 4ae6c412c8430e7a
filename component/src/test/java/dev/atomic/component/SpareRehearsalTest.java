package dev.atomic.component;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.atomic.component.SystemSpec.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A warm spare's rehearsal: every start answered in full, on lanes of its own, without a word outside. */
class SpareRehearsalTest {
    private static SystemSpec system(StateKind state) {
        ComponentSpec echo = new ComponentSpec("echo", Kernel.SERVICES, "service", Image.java("x.NeverLoaded"),
                refs("echo@1", "time@1"), refs(), 64 << 20, 16, SystemSpec.DEFAULT_RATE, 0, 0,
                ComponentSpec.NO_VERSION, RestartPolicy.DEFAULT, state, SandboxGrants.NONE, ComponentSpec.DEFAULT_TIER);
        ComponentSpec app = new ComponentSpec("app", Kernel.DAK, "app", "x.App", refs(), refs("echo@1"), 64 << 20, 16,
                SystemSpec.DEFAULT_RATE);
        return new SystemSpec("rehearsal", List.of(app, echo));
    }

    @Test
    void everyRehearsedStartAnswersEveryRequestAndSaysNothing() throws Exception {
        for (StateKind state : List.of(StateKind.STATELESS, StateKind.CHECKPOINTED)) {
            PrintStream out = System.out;
            PrintStream err = System.err;
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            int answered;
            try (PrintStream capture = new PrintStream(said, true, StandardCharsets.UTF_8)) {
                System.setOut(capture);
                System.setErr(capture);
                answered = SpareRehearsal.run(system(state), "echo", SpareRehearsal.ROUNDS);
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
            assertEquals(SpareRehearsal.ROUNDS * SpareRehearsal.REQUESTS * 2, answered, state + ": both services");
            assertEquals("", said.toString(StandardCharsets.UTF_8), state + ": nothing reaches the real output");
        }
    }
}
