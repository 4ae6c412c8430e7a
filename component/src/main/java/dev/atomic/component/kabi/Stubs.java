package dev.atomic.component.kabi;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.ServiceClient;
import dev.atomic.component.ServiceHandler;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Typed stubs over the bridge: a caller's proxy that turns each method of a {@link Service} interface into a call,
 * and a provider's handler that turns each call back into a method of its implementation (docs/kabi.md).
 */
public final class Stubs {
    /** How long a typed call waits for its answer unless told otherwise; also the deadline the Engine enforces. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private Stubs() {
    }

    /** How a proxy reaches its provider: a {@link ServiceClient}, or anything else that answers calls. */
    @FunctionalInterface
    interface Transport {
        byte[] call(int method, byte[] request, Duration timeout, boolean idempotent) throws CallFailedException;
    }

    /**
     * A proxy calling through {@code client}, at the version the Engine negotiated for it: a method newer than that
     * version does not cross the bridge but returns its declared default result, which is what the older provider
     * would have answered had it known the method.
     */
    public static <T> T client(Class<T> type, ServiceClient client, Duration timeout) {
        ServiceInterface service = ServiceInterface.of(type);
        if (!service.name().equals(client.service())) {
            throw new IllegalArgumentException(type.getName() + " binds service '" + service.name()
                    + "', not '" + client.service() + "'");
        }
        return proxy(type, service, (method, request, t, idempotent) -> idempotent
                ? client.callIdempotent(method, request, t) : client.call(method, request, t), client.version(), timeout);
    }

    static <T> T proxy(Class<T> type, ServiceInterface service, Transport transport, int version, Duration timeout) {
        Map<java.lang.reflect.Method, MethodSpec> specs = new HashMap<>();
        for (java.lang.reflect.Method m : type.getMethods()) {
            Method method = m.getAnnotation(Method.class);
            if (method != null && !m.isDefault() && !Modifier.isStatic(m.getModifiers())) {
                specs.put(m, service.method(method.id()));
            }
        }
        InvocationHandler handler = (proxy, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> service.name() + " v" + version + " stub";
                };
            }
            if (m.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, m, args);
            }
            MethodSpec spec = specs.get(m);
            if (spec.since() > version) {
                return spec.defaultValue();
            }
            byte[] reply = transport.call(spec.id(), spec.encodeRequest(args == null ? new Object[0] : args), timeout,
                    spec.idempotent());
            try {
                return spec.decodeResult(reply);
            } catch (IllegalArgumentException e) {
                throw new CallFailedException(service.name() + "." + spec.name() + " got a malformed answer: "
                        + e.getMessage());
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, handler));
    }

    /** A handler answering each method of {@code type} with {@code implementation}'s; an unknown method is refused. */
    public static <T> ServiceHandler handler(Class<T> type, T implementation) {
        ServiceInterface service = ServiceInterface.of(type);
        Map<Integer, java.lang.reflect.Method> targets = new HashMap<>();
        for (java.lang.reflect.Method m : type.getMethods()) {
            Method method = m.getAnnotation(Method.class);
            if (method != null && !m.isDefault() && !Modifier.isStatic(m.getModifiers())) {
                m.setAccessible(true); // the binding may be package-private, like its implementation
                targets.put(method.id(), m);
            }
        }
        return (id, request) -> {
            MethodSpec spec = service.method(id);
            if (spec == null) {
                throw new IllegalArgumentException(service.name() + " v" + service.version() + " has no method " + id);
            }
            Object result;
            try {
                result = targets.get(id).invoke(implementation, spec.decodeRequest(request));
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
            return spec.encodeResult(result);
        };
    }
}
