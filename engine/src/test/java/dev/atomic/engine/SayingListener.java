package dev.atomic.engine;

import java.util.function.Consumer;

/** A supervisor's listener for tests of one Supervisor without an Engine: it keeps what is said and reported. */
record SayingListener(Consumer<String> said, Consumer<FaultReport> reported, Consumer<Member> settled)
        implements Supervisor.Listener {
    /** One that keeps only what is said. */
    SayingListener(Consumer<String> said) {
        this(said, report -> { });
    }

    SayingListener(Consumer<String> said, Consumer<FaultReport> reported) {
        this(said, reported, member -> { });
    }

    @Override
    public void settled(Member member) {
        settled.accept(member);
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
        reported.accept(report);
    }
}
