package dev.atomic.auditor;

import java.util.List;

/** What {@code atomic audit} reports: the host, its isolation features, the Engine's reservation and the gaps. */
public record HostReport(Cpu cpu, long memoryBytes, Features features, Reservation reservation,
                         List<String> notEnforced) {

    public HostReport {
        notEnforced = List.copyOf(notEnforced);
    }
}
