package dev.atomic.vault;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a boot audit or a deployment found and did, file by file, and which components must therefore not start.
 *
 * @param unexpected files in the deploy root that the manifest does not name (reported, left in place)
 */
public record AuditResult(VerifiedRelease release, Path root, List<FileCheck> files, List<String> unexpected) {

    public enum Status {
        /** Content, size and mode match the manifest. */
        OK,
        /** Was missing or altered, and was replaced from the Vault (or only its mode was wrong, and was set). */
        REPAIRED,
        /** Written by a deployment from scratch. */
        INSTALLED,
        /** Not as the manifest says, and no intact copy exists: its component must not start. */
        UNREPAIRABLE
    }

    /** One manifest entry's outcome; {@code reason} says in plain words what was wrong and what was done. */
    public record FileCheck(ReleaseManifest.Entry entry, Status status, String reason) {
    }

    public AuditResult {
        files = List.copyOf(files);
        unexpected = List.copyOf(unexpected);
    }

    public List<FileCheck> with(Status status) {
        return files.stream().filter(f -> f.status() == status).toList();
    }

    /** Every file is as the manifest says and nothing had to be done. */
    public boolean clean() {
        return files.stream().allMatch(f -> f.status() == Status.OK);
    }

    /** Components with a file that could not be made right, each with its layer: they must not start. */
    public SortedMap<String, Layer> componentsNotToStart() {
        SortedMap<String, Layer> out = new TreeMap<>();
        for (FileCheck f : with(Status.UNREPAIRABLE)) {
            out.put(f.entry().component(), f.entry().layer());
        }
        return out;
    }

    /** The report for people: a summary line, then one line per file that was not OK, per blocked component. */
    public List<String> report() {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (FileCheck f : files) {
            counts.merge(f.status(), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((s, n) -> parts.add(n + " " + s.name().toLowerCase()));
        List<String> lines = new ArrayList<>();
        lines.add("release '" + release.manifest().release() + "' (signed by " + release.signer() + ") in " + root
                + ": " + files.size() + " file(s)" + (parts.isEmpty() ? "" : ", " + String.join(", ", parts)));
        for (FileCheck f : files) {
            if (f.status() == Status.REPAIRED || f.status() == Status.UNREPAIRABLE) {
                lines.add(String.format("  %-13s %s (%s): %s", f.status().name().toLowerCase(), f.entry().path(),
                        f.entry().component(), f.reason()));
            }
        }
        componentsNotToStart().forEach((component, layer) -> lines.add(String.format("  %-13s %s (%s): %s",
                "not starting", component, layer.label(), "a file of it could not be made right; the system runs "
                        + "without it")));
        if (!unexpected.isEmpty()) {
            lines.add("  unexpected    " + unexpected.size() + " file(s) the manifest does not name, left in place: "
                    + String.join(", ", unexpected.subList(0, Math.min(10, unexpected.size())))
                    + (unexpected.size() > 10 ? ", …" : ""));
        }
        return lines;
    }
}
