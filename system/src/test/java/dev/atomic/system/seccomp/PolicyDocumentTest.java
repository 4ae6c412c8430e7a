package dev.atomic.system.seccomp;

import dev.atomic.system.Errno;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/seccomp.md is the component policy written down: the same calls, the same errnos. */
class PolicyDocumentTest {
    private static final Path DOC = Path.of("..", "docs", "seccomp.md");
    private static final Pattern CALL = Pattern.compile("`([a-z0-9_]+)`");

    @Test
    void everyDeniedCallIsDocumentedWithItsErrno() throws IOException {
        Map<String, String> documented = firstTwoCells(section("### Denied"));
        Map<String, String> policy = new LinkedHashMap<>();
        ComponentPolicy.denied().forEach(r -> policy.put(r.syscall(), Errno.name(r.action().errno())));
        assertEquals(policy.keySet().stream().sorted().toList(), documented.keySet().stream().sorted().toList());
        policy.forEach((call, errno) -> assertEquals(errno, documented.get(call), call));
    }

    @Test
    void theDeniedCallsSaidToBeReportedAreTheOnesTrapped() throws IOException {
        Map<String, String> answeredBy = cells(section("### Denied"), 5);
        ComponentPolicy.denied().forEach(r -> assertEquals(ComponentPolicy.reported(r) ? "the Engine, reported"
                : "the filter", answeredBy.get(r.syscall()), r.syscall()));
    }

    @Test
    void everyTrappedCallIsDocumented() throws IOException {
        Set<String> documented = firstTwoCells(section("### Trapped for the Engine")).keySet();
        Set<String> policy = ComponentPolicy.trapped(1, false).stream().map(Rule::syscall)
                .collect(Collectors.toSet());
        assertEquals(policy.stream().sorted().toList(), documented.stream().sorted().toList());
    }

    /** The lines of a section, up to the next heading. */
    private static List<String> section(String heading) throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int start = lines.indexOf(heading);
        List<String> rest = lines.subList(start + 1, lines.size());
        int end = 0;
        while (end < rest.size() && !rest.get(end).startsWith("#")) {
            end++;
        }
        return rest.subList(0, end);
    }

    /** For each call named in a table row's first cell, the row's second cell. */
    private static Map<String, String> firstTwoCells(List<String> lines) {
        return cells(lines, 2);
    }

    /** For each call named in a table row's first cell, the row's cell {@code column} (counted from 1). */
    private static Map<String, String> cells(List<String> lines, int column) {
        Map<String, String> calls = new LinkedHashMap<>();
        for (String line : lines) {
            String[] cells = line.split("\\|");
            if (line.startsWith("| `") && cells.length > column) {
                Matcher m = CALL.matcher(cells[1]);
                while (m.find()) {
                    calls.put(m.group(1), cells[column].strip());
                }
            }
        }
        return calls;
    }
}
