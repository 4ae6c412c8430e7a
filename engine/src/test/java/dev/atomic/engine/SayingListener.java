package dev.atomic.engine;

import java.util.function.Consumer;

/** A supervisor's listener for tests of one Supervisor without an Engine: it keeps only what is said. */
record SayingListener(Consumer<String> said) implements Supervisor.Listener {
    @Override
    public void settled(Member member) {
    }

    @Override
    public int gone(Member member) {
        return 0;
    }

    @Override
    public void say(String text) {
        said.accept(text);
    }

    @Override
    public void fault(FaultReport report) {
    }
}
