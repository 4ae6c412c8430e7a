package dev.atomic.component;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service named in a spec: {@code name@version}, and for a call, optionally the methods it may use:
 * {@code echo@1#1,2}. A provider's version is the newest interface it implements (interfaces are append-only,
 * so it also serves every older one); a caller's is the oldest it can work with.
 *
 * @param methods the methods granted; empty means every method
 */
public record ServiceRef(String name, int version, Set<Integer> methods) {
    private static final Pattern FORM = Pattern.compile("([a-z][a-z0-9.-]{0,47})(?:@(\\d{1,4}))?(?:#([\\d,]+))?");

    public ServiceRef {
        methods = Set.copyOf(methods);
    }

    public static ServiceRef parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a service reference like echo, echo@2 or echo@1#1,2");
        }
        int version = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        if (version < 1) {
            throw new IllegalArgumentException("'" + text + "': interface versions start at 1");
        }
        Set<Integer> methods = new TreeSet<>();
        if (m.group(3) != null) {
            Arrays.stream(m.group(3).split(",")).filter(s -> !s.isEmpty()).map(Integer::parseInt).forEach(methods::add);
        }
        return new ServiceRef(m.group(1), version, methods);
    }

    public boolean allows(int method) {
        return methods.isEmpty() || methods.contains(method);
    }

    @Override
    public String toString() {
        return name + "@" + version + (methods.isEmpty() ? "" : "#" + String.join(",",
                methods.stream().map(String::valueOf).toList()));
    }
}
