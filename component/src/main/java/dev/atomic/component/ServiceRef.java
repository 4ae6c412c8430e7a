package dev.atomic.component;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service named in a spec: {@code name@version}, and for a call, optionally the newest version it knows and the
 * methods it may use: {@code echo@1..3#1,2}. A provider's version is the newest interface it implements (interfaces
 * are append-only, so it also serves every older one); a caller's are the oldest it can work with and the newest it
 * knows (by default the same). The Engine binds them at the highest version both support (docs/kabi.md).
 *
 * @param methods the methods granted; empty means every method
 */
public record ServiceRef(String name, int version, int newest, Set<Integer> methods) {
    static final int MAX_VERSION = 9999;
    private static final String NAME = "[a-z][a-z0-9.-]{0,47}";
    private static final Pattern FORM = Pattern.compile(
            "(" + NAME + ")(?:@(\\d{1,4})(?:\\.\\.(\\d{1,4}))?)?(?:#([\\d,]+))?");

    /** A reference whose oldest and newest version are the same. */
    public ServiceRef(String name, int version, Set<Integer> methods) {
        this(name, version, version, methods);
    }

    public ServiceRef {
        methods = Set.copyOf(methods);
        if (version < 1 || newest > MAX_VERSION) {
            throw new IllegalArgumentException(name + ": interface versions are 1 to " + MAX_VERSION);
        }
        if (newest < version) {
            throw new IllegalArgumentException(name + ": the newest version (" + newest
                    + ") is older than the oldest (" + version + ")");
        }
    }

    public static ServiceRef parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a service reference like echo, echo@2, echo@1..3 or echo@1#1,2");
        }
        int version = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        int newest = m.group(3) == null ? version : Integer.parseInt(m.group(3));
        if (version < 1) {
            throw new IllegalArgumentException("'" + text + "': interface versions start at 1");
        }
        Set<Integer> methods = new TreeSet<>();
        if (m.group(4) != null) {
            Arrays.stream(m.group(4).split(",")).filter(s -> !s.isEmpty()).map(Integer::parseInt).forEach(methods::add);
        }
        return new ServiceRef(m.group(1), version, newest, methods);
    }

    /** Why a service name cannot be used, or null. */
    public static String nameProblem(String name) {
        return name.matches(NAME) ? null
                : "a service name is 1-48 characters of a-z, 0-9, '.' and '-', starting with a letter, not \"" + name + "\"";
    }

    /** Why an interface version cannot be used, or null. */
    public static String versionProblem(long version) {
        return version >= 1 && version <= MAX_VERSION ? null
                : "interface versions are 1 to " + MAX_VERSION + ", not " + version;
    }

    public boolean allows(int method) {
        return methods.isEmpty() || methods.contains(method);
    }

    /** The versions it speaks: {@code v2} or {@code v1..v3}. */
    public String versions() {
        return newest == version ? "v" + version : "v" + version + "..v" + newest;
    }

    @Override
    public String toString() {
        return name + "@" + version + (newest == version ? "" : ".." + newest) + (methods.isEmpty() ? ""
                : "#" + String.join(",", new TreeSet<>(methods).stream().map(String::valueOf).toList()));
    }
}
