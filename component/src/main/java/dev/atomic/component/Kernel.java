package dev.atomic.component;

import dev.atomic.bridge.ControlRegion;

/** The two kernels components live in (the Sovereign is the third and runs no component). */
public enum Kernel {
    SERVICES("services", ControlRegion.KERNEL_SERVICES),
    DAK("dak", ControlRegion.KERNEL_DAK);

    private final String word;
    private final int code;

    Kernel(String word, int code) {
        this.word = word;
        this.code = code;
    }

    /** The name used in cgroup paths and reports. */
    public String word() {
        return word;
    }

    /** The number stored in the control region's slot table. */
    public int code() {
        return code;
    }
}
