package dev.atomic.component;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a component runs: a Java {@link Component} class (from {@code jar}, or from the installation's class path when
 * {@code jar} is null), or any Linux executable that speaks the bridge protocol itself.
 *
 * @param entry the class name (Java) or the executable's absolute path (exec)
 * @param args  arguments for an executable, before the ones the Sovereign appends; none for Java
 */
public record Image(Kind kind, String entry, String jar, List<String> args) {
    public enum Kind { JAVA, EXEC }

    private static final Pattern CLASS = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*");

    public Image {
        args = List.copyOf(args);
        String problem = kind == Kind.JAVA ? classProblem(entry) : pathProblem(entry);
        if (problem == null && jar != null) {
            problem = kind == Kind.JAVA ? jarProblem(jar) : "an executable image has no jar";
        }
        if (problem == null && kind == Kind.JAVA && !args.isEmpty()) {
            problem = "a Java image takes no arguments";
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** A Java component found on the installation's class path. */
    public static Image java(String className) {
        return new Image(Kind.JAVA, className, null, List.of());
    }

    public static Image exec(String path, List<String> args) {
        return new Image(Kind.EXEC, path, null, args);
    }

    static String classProblem(String name) {
        return name != null && CLASS.matcher(name).matches() ? null
                : "a Java image names a class like com.example.Echo, not \"" + name + "\"";
    }

    static String jarProblem(String jar) {
        return jar.startsWith("/") && jar.endsWith(".jar") && SandboxGrants.normalised(jar) ? null
                : "a jar is an absolute, normalised path ending in .jar, not \"" + jar + "\"";
    }

    static String pathProblem(String path) {
        return path != null && path.startsWith("/") && path.length() > 1 && SandboxGrants.normalised(path) ? null
                : "an executable is an absolute, normalised path, not \"" + path + "\"";
    }

    @Override
    public String toString() {
        return kind == Kind.JAVA ? entry + (jar == null ? "" : " from " + jar) : entry + (args.isEmpty() ? ""
                : " " + String.join(" ", args));
    }
}
