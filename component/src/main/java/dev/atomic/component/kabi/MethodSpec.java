package dev.atomic.component.kabi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One method of a service interface: its id on the wire, its name, the version that added it, what it takes and
 * returns, and — for a method added after version 1 — the default result, written as in the IDL, that a caller gets
 * when the provider it is bound to is older.
 *
 * @param defaultResult null when none is declared
 * @param idempotent    calling it twice has the effect of calling it once: a call under way when its provider died
 *                      is replayed to the restarted provider rather than failed
 */
public record MethodSpec(int id, String name, int since, List<KabiType> params, KabiType result,
                         String defaultResult, boolean idempotent) {
    static final int MAX_ID = 65_535;

    public MethodSpec {
        params = List.copyOf(params);
    }

    /** What is wrong with this method in an interface whose newest version is {@code version}. */
    List<String> problems(int version) {
        List<String> problems = new ArrayList<>();
        if (id < 1 || id > MAX_ID) {
            problems.add("a method id is 1 to " + MAX_ID + ", not " + id);
        }
        if (!name.matches("[a-z][A-Za-z0-9_]{0,63}")) {
            problems.add("a method name is a letter a-z, then up to 63 letters, digits or '_', not '" + name + "'");
        }
        if (since < 1 || since > version) {
            problems.add("since " + since + " is not a version of the interface (1 to " + version + ")");
        }
        if (params.contains(KabiType.VOID)) {
            problems.add("a parameter cannot be void");
        }
        if (since == 1 && defaultResult != null) {
            problems.add("it is in version 1, which every provider implements: it has no default result");
        } else if (since > 1 && result != KabiType.VOID && defaultResult == null) {
            problems.add("it was added in version " + since + ", so it declares the result a provider older than that "
                    + "answers with (a default)");
        } else if (defaultResult != null) {
            try {
                result.parse(defaultResult);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    /** The default result as a value of its type; null for a void method. */
    Object defaultValue() {
        return defaultResult == null ? null : result.parse(defaultResult);
    }

    byte[] encodeRequest(Object[] args) {
        int size = 0;
        for (int i = 0; i < params.size(); i++) {
            size += params.get(i).sizeOf(args[i], i == params.size() - 1);
        }
        ByteBuffer out = KabiType.buffer(size);
        for (int i = 0; i < params.size(); i++) {
            params.get(i).write(out, args[i], i == params.size() - 1);
        }
        return out.array();
    }

    Object[] decodeRequest(byte[] request) {
        ByteBuffer in = KabiType.wrap(request);
        Object[] args = new Object[params.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = params.get(i).read(in, i == args.length - 1);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(name + "'s request has " + in.remaining() + " byte(s) too many");
        }
        return args;
    }

    byte[] encodeResult(Object value) {
        ByteBuffer out = KabiType.buffer(result.sizeOf(value, true));
        result.write(out, value, true);
        return out.array();
    }

    Object decodeResult(byte[] reply) {
        ByteBuffer in = KabiType.wrap(reply);
        Object value = result.read(in, true);
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(name + "'s result has " + in.remaining() + " byte(s) too many");
        }
        return value;
    }

    /** The method as the IDL writes it, parameter names aside: {@code method 2 length(string) -> i32 default 0}. */
    @Override
    public String toString() {
        return (idempotent ? "idempotent " : "") + "method " + id + " " + name + "(" + String.join(", ", params.stream().map(KabiType::word).toList())
                + ") -> " + result.word() + (defaultResult == null ? "" : " default " + Idl.literal(defaultResult, result));
    }
}
