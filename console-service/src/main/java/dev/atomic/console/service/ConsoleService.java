package dev.atomic.console.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Injection;
import dev.atomic.component.Observation;
import dev.atomic.component.SystemSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console service (docs/console.md): a Services-kernel component that sees the system through the observe
 * capability — the Engine's copies of every component's starts, faults and telemetry, read-only — and answers
 * {@code atomic status}, {@code faults}, {@code top} and {@code inject}. It can change nothing itself: an inject is an
 * order it asks of the Engine, which checks its manifest's {@code inject} grant, audits it and does it. Its fault
 * history is checkpointed, so a restarted console still has it.
 */
public final class ConsoleService implements Component, Console {
    /** Faults kept, and at most what fits one answer on the Engine's admin lane (8 KiB frames). */
    static final int FAULTS_KEPT = 50;
    static final int ANSWER_BYTES = 7 * 1024;
    /** A hang is judged after the target's hang-after; a leak takes seconds to reach its limit. */
    private static final long INJECTED_WITHIN_MILLIS = 60_000;

    private record Injected(String kind, long atMillis) {
    }
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PAGE = 4096;
    private static final long MILLIS_PER_TICK = 10;

    private final Object lock = new Object();
    private final Map<String, Watched> components = new LinkedHashMap<>();
    private final Deque<Map<String, Object>> faults = new ArrayDeque<>();
    /** The last injection into each component, so that the fault it causes says it was asked for. */
    private final Map<String, Injected> injected = new java.util.HashMap<>();
    private ComponentContext context;
    private Watched self;

    @Override
    public void init(ComponentContext context) throws JsonProcessingException {
        this.context = context;
        SystemSpec system = context.system(); // a built-in system, or a directory of manifests
        for (ComponentSpec c : system.components()) {
            components.put(c.id(), new Watched(c));
        }
        self = components.get(context.id());
        context.observe(this::observed);
        context.provide(Console.class, this);
        JSON.writeValueAsString(Map.of("warm", List.of(1))); // Jackson's first use costs; not on the first answer
    }

    private void observed(Observation o) {
        long now = System.currentTimeMillis();
        synchronized (lock) {
            Watched w = components.get(o.component());
            if (w != null) {
                w.observed(o, now);
            }
            if (o.event().equals("exit")) {
                // The same report, written again once the process's end is known: a death by a signal is a CRASH.
                faults.reversed().stream().filter(f -> f.get("component").equals(o.component())).findFirst()
                        .ifPresent(f -> fault(f, o));
            } else if (o.event().equals("fault")) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("timeMillis", now);
                f.put("component", o.component());
                f.put("kernel", o.kernel());
                fault(f, o);
                f.put("back", false);
                Injected i = injected.remove(o.component());
                if (i != null && now - i.atMillis() < INJECTED_WITHIN_MILLIS) {
                    f.put("injected", i.kind());
                }
                faults.addLast(f);
                while (faults.size() > FAULTS_KEPT) {
                    faults.removeFirst();
                }
            } else if (o.event().equals("started")) {
                for (Map<String, Object> f : faults) {
                    if (f.get("component").equals(o.component()) && f.get("back").equals(false)) {
                        f.put("back", true);
                        f.put("backAfterMillis", now - (long) f.get("timeMillis"));
                        f.put("pidAfter", Long.parseLong(o.facts().getOrDefault("pid", "0")));
                    }
                }
            }
        }
    }

    private static void fault(Map<String, Object> f, Observation o) {
        f.put("kind", o.facts().getOrDefault("kind", "?").toUpperCase(java.util.Locale.ROOT));
        f.put("evidence", o.facts().getOrDefault("evidence", ""));
        f.put("action", o.facts().getOrDefault("action", ""));
    }

    @Override
    public String status() throws CallFailedException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("system", context.systemName());
        answer.put("console", context.id());
        answer.put("timeMillis", System.currentTimeMillis());
        synchronized (lock) {
            sampleSelf();
            Map<String, List<Map<String, Object>>> kernels = new LinkedHashMap<>();
            for (Watched w : components.values()) {
                kernels.computeIfAbsent(w.kernel(), k -> new ArrayList<>()).add(w.toMap());
            }
            List<Map<String, Object>> list = new ArrayList<>();
            kernels.forEach((kernel, members) -> list.add(Map.of("kernel", kernel, "components", members)));
            answer.put("kernels", list);
            answer.put("faults", faults.size());
        }
        return json(answer);
    }

    @Override
    public String faults() throws CallFailedException {
        List<Map<String, Object>> shown = new ArrayList<>();
        int omitted;
        synchronized (lock) {
            int size = 64;
            List<Map<String, Object>> newestFirst = new ArrayList<>(faults).reversed();
            for (Map<String, Object> f : newestFirst) {
                size += json(f).length() + 1;
                if (size > ANSWER_BYTES) {
                    break;
                }
                shown.addFirst(f);
            }
            omitted = faults.size() - shown.size();
        }
        return json(Map.of("faults", shown, "omitted", omitted));
    }

    @Override
    public String top() throws CallFailedException {
        List<Map<String, Object>> rows = new ArrayList<>();
        synchronized (lock) {
            sampleSelf();
            components.values().stream().sorted(Comparator.comparingDouble(Watched::cpuPercent).reversed())
                    .forEach(w -> {
                        Map<String, Object> m = w.toMap();
                        m.keySet().retainAll(List.of("id", "kernel", "state", "pid", "restarts", "rssBytes",
                                "memoryLimitBytes", "cpuPercent", "callsPerSecond"));
                        rows.add(m);
                    });
        }
        return json(Map.of("timeMillis", System.currentTimeMillis(), "components", rows));
    }

    @Override
    public String inject(String order) throws CallFailedException {
        String[] words = order.strip().split("\\s+");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("component", words[0]);
        answer.put("kind", words.length > 1 ? words[1] : "");
        Injected noted = null;
        try {
            if (words.length != 2) {
                throw new IllegalArgumentException("an inject order is '<component> <crash|hang|leak|storm>', not '"
                        + order + "'");
            }
            Injection kind = Injection.parse(words[1]);
            // Noted before it is asked: a crash's fault can be observed before the Engine's answer comes back.
            noted = new Injected(kind.word(), System.currentTimeMillis());
            synchronized (lock) {
                injected.put(words[0], noted);
            }
            answer.put("message", context.inject(words[0], kind));
            answer.put("done", true);
        } catch (CallFailedException | IllegalArgumentException e) {
            synchronized (lock) {
                injected.remove(words[0], noted);
            }
            answer.put("message", e.getMessage());
            answer.put("done", false);
        }
        context.log().println("console: inject " + order + ": " + answer.get("message"));
        return json(answer);
    }

    @Override
    public String summary() {
        synchronized (lock) {
            long ready = components.values().stream().filter(w -> w.state().equals("ready")).count();
            long back = faults.stream().filter(f -> f.get("back").equals(true)).count();
            Map<String, Object> last = faults.peekLast();
            return components.size() + " components, " + ready + " ready; " + faults.size() + " fault(s) seen, "
                    + back + " recovered" + (last == null ? "" : "; last: " + last.get("component") + " "
                    + last.get("kind") + (last.get("back").equals(true) ? ", back" : ", not back yet"));
        }
    }

    @Override
    public byte[] checkpoint() throws JsonProcessingException {
        synchronized (lock) {
            return faults.isEmpty() ? null : JSON.writeValueAsBytes(faults);
        }
    }

    @Override
    public void restore(byte[] state) throws IOException {
        List<Map<String, Object>> kept = JSON.readValue(state, new TypeReference<>() { });
        synchronized (lock) {
            kept.forEach(f -> {
                f.put("timeMillis", ((Number) f.get("timeMillis")).longValue());
                faults.addLast(f);
            });
        }
    }

    /** Its own line: it observes every other component, not itself. */
    private void sampleSelf() {
        if (self == null) {
            return;
        }
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            self.self(Long.parseLong(f[21]) * PAGE, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MILLIS_PER_TICK,
                    System.currentTimeMillis());
        } catch (IOException | RuntimeException e) {
            context.log().println("console: cannot read its own /proc/self/stat: " + e);
        }
    }

    private static String json(Object value) throws CallFailedException {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CallFailedException("the console could not write its answer: " + e.getMessage());
        }
    }
}
