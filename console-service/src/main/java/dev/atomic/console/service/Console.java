package dev.atomic.console.service;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.kabi.Method;
import dev.atomic.component.kabi.Service;

/**
 * The console service's interface (console.kabi, docs/console.md): what {@code atomic status}, {@code faults},
 * {@code top} and {@code inject} ask, through the Sovereign's control socket and the Engine, and what a component
 * granted {@code console} may ask too. Results are JSON, but {@link #summary}'s one line of text.
 */
@Service(name = "console", version = 1)
public interface Console {
    int STATUS = 1;
    int FAULTS = 2;
    int TOP = 3;
    int INJECT = 4;
    int SUMMARY = 5;

    /** Every component by kernel: state, tier, pid, restarts, memory and CPU, calls. */
    @Method(id = STATUS, idempotent = true)
    String status() throws CallFailedException;

    /** The fault reports the console saw, oldest first, each saying whether its component is back. */
    @Method(id = FAULTS, idempotent = true)
    String faults() throws CallFailedException;

    /** One sample for a live view: per component, CPU %, memory, calls a second, restarts, busiest first. */
    @Method(id = TOP, idempotent = true)
    String top() throws CallFailedException;

    /**
     * {@code <component> <crash|hang|leak|storm>}: asks the Engine to inject that fault (audited; refused unless the
     * console's manifest grants that component). Answers whether it was done, and the Engine's or target's words.
     */
    @Method(id = INJECT)
    String inject(String order) throws CallFailedException;

    /** One line of text: how many components, how many ready, the faults seen. */
    @Method(id = SUMMARY, idempotent = true)
    String summary() throws CallFailedException;
}
