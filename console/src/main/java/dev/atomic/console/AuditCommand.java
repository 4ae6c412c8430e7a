package dev.atomic.console;

import dev.atomic.auditor.Auditor;
import dev.atomic.auditor.HostReport;
import dev.atomic.auditor.ReportRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {
                "Read this host and say what isolation it offers, which profile Atomic picks (lean, full, "
                        + "latency, dominance; shared or partitioned), what it reserves for the Engine and why, "
                        + "and what Atomic cannot enforce here."})
final class AuditCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        HostReport report = Auditor.audit();
        System.out.println(json ? ReportRenderer.json(report) : ReportRenderer.text(report));
        return 0;
    }
}
