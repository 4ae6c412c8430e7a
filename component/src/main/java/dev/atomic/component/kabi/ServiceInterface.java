package dev.atomic.component.kabi;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.ServiceRef;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A service interface (docs/kabi.md): its name, its newest version and its methods, each with the version that added
 * it. Versions are append-only: version n is every method with {@code since <= n}. Read from an IDL file
 * ({@link Idl}) or from the {@link Service}-annotated Java interface that binds it; both give the same value.
 */
public record ServiceInterface(String name, int version, List<MethodSpec> methods) {
    public ServiceInterface {
        methods = methods.stream().sorted(Comparator.comparingInt(MethodSpec::id)).toList();
        List<String> problems = problems(name, version, methods);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
    }

    /** Everything wrong with an interface, each method's problems prefixed with the method. */
    static List<String> problems(String name, int version, List<MethodSpec> methods) {
        List<String> problems = new ArrayList<>();
        for (String p : new String[]{ServiceRef.nameProblem(name), ServiceRef.versionProblem(version)}) {
            if (p != null) {
                problems.add(p);
            }
        }
        if (methods.isEmpty()) {
            problems.add("service " + name + " has no methods");
        }
        Set<Integer> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (MethodSpec m : methods) {
            if (!ids.add(m.id())) {
                problems.add("method id " + m.id() + " is used twice");
            }
            if (!names.add(m.name())) {
                problems.add("method name " + m.name() + " is used twice");
            }
            for (String p : m.problems(version)) {
                problems.add("method " + m.id() + " " + m.name() + ": " + p);
            }
        }
        return problems;
    }

    /** The method with this id, or null. */
    public MethodSpec method(int id) {
        for (MethodSpec m : methods) {
            if (m.id() == id) {
                return m;
            }
        }
        return null;
    }

    /** The interface a {@link Service}-annotated Java interface binds; refused, saying every reason, otherwise. */
    public static ServiceInterface of(Class<?> type) {
        Service service = type.getAnnotation(Service.class);
        if (!type.isInterface() || service == null) {
            throw new IllegalArgumentException(type.getName() + " is not an interface annotated @Service");
        }
        List<String> problems = new ArrayList<>();
        List<MethodSpec> methods = new ArrayList<>();
        for (java.lang.reflect.Method m : type.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.isDefault()) {
                continue; // helpers of the binding, not methods of the service
            }
            String where = type.getSimpleName() + "." + m.getName();
            Method method = m.getAnnotation(Method.class);
            if (method == null) {
                problems.add(where + " has no @Method: every abstract method is a method of the service");
                continue;
            }
            if (java.util.Arrays.stream(m.getExceptionTypes()).noneMatch(e -> e.isAssignableFrom(CallFailedException.class))) {
                problems.add(where + " must declare 'throws CallFailedException': every call can fail");
            }
            List<KabiType> params = new ArrayList<>();
            for (Class<?> p : m.getParameterTypes()) {
                KabiType t = KabiType.ofJava(p);
                if (t == null || t == KabiType.VOID) {
                    problems.add(where + " takes a " + p.getSimpleName() + "; service methods take byte[], String, "
                            + "int, long and boolean");
                }
                params.add(t == null ? KabiType.BYTES : t);
            }
            KabiType result = KabiType.ofJava(m.getReturnType());
            if (result == null) {
                problems.add(where + " returns a " + m.getReturnType().getSimpleName() + "; service methods return "
                        + "byte[], String, int, long, boolean or nothing");
                result = KabiType.VOID;
            }
            methods.add(new MethodSpec(method.id(), m.getName(), method.since(), params, result,
                    method.defaultResult().equals(Method.NONE) ? null : method.defaultResult(), method.idempotent()));
        }
        if (problems.isEmpty()) {
            for (String p : problems(service.name(), service.version(), methods)) {
                problems.add(type.getSimpleName() + ": " + p);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new ServiceInterface(service.name(), service.version(), methods);
    }
}
