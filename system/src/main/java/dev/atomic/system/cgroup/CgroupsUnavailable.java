package dev.atomic.system.cgroup;

/** This host offers no cgroup hierarchy Atomic can use; the message says why in plain words. */
public final class CgroupsUnavailable extends Exception {
    public CgroupsUnavailable(String reason) {
        super(reason);
    }
}
