package dev.atomic.component.kabi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a service interface from its IDL (docs/kabi.md): one {@code service} block of numbered {@code version}
 * blocks, each holding the methods that version added. Every error is reported at once, each with its line.
 */
public final class Idl {
    private static final Pattern SERVICE = Pattern.compile("service\\s+(\\S+)\\s*\\{");
    private static final Pattern VERSION = Pattern.compile("version\\s+(\\d{1,4})\\s*\\{");
    private static final Pattern METHOD = Pattern.compile(
            "(idempotent\\s+)?method\\s+(\\d{1,5})\\s+(\\w+)\\s*\\(([^)]*)\\)\\s*->\\s*(\\w+)(?:\\s+default\\s+(.+))?");
    private static final Pattern PARAM = Pattern.compile("\\s*([a-z]\\w*)\\s*:\\s*(\\w+)\\s*");
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\[\"\\\\nt])*)\"");

    private Idl() {
    }

    public static ServiceInterface parse(String file, String text) {
        List<String> errors = new ArrayList<>();
        String service = null;
        int version = 0;
        int depth = 0;
        List<MethodSpec> methods = new ArrayList<>();
        Map<MethodSpec, Integer> lines = new HashMap<>();
        String[] all = text.split("\n", -1);
        for (int i = 0; i < all.length; i++) {
            int line = i + 1;
            String s = all[i].replaceFirst("^\\s+", "");
            s = s.startsWith("#") ? "" : s.strip();
            Matcher m;
            if (s.isEmpty()) {
                continue;
            }
            if (s.equals("}")) {
                if (depth == 0) {
                    errors.add(file + ":" + line + ": '}' closes nothing");
                }
                depth = Math.max(0, depth - 1);
            } else if ((m = SERVICE.matcher(s)).matches()) {
                if (service != null || depth != 0) {
                    errors.add(file + ":" + line + ": a file describes one service, at its top level");
                }
                service = m.group(1);
                depth = 1;
            } else if ((m = VERSION.matcher(s)).matches()) {
                int n = Integer.parseInt(m.group(1));
                if (depth != 1) {
                    errors.add(file + ":" + line + ": a version block belongs directly in the service block");
                } else if (n != version + 1) {
                    errors.add(file + ":" + line + ": version " + n + " follows version " + version + ": versions "
                            + "are numbered 1, 2, 3… in order, each adding to the one before (append-only)");
                }
                version = n;
                depth = 2;
            } else if ((m = METHOD.matcher(s)).matches()) {
                if (depth != 2) {
                    errors.add(file + ":" + line + ": a method belongs in the version block that added it");
                    continue;
                }
                MethodSpec method = method(file, line, m, version, errors);
                if (method != null) {
                    for (String p : method.problems(version)) {
                        errors.add(file + ":" + line + ": " + p);
                    }
                    methods.add(method);
                    lines.put(method, line);
                }
            } else {
                errors.add(file + ":" + line + ": expected 'service <name> {', 'version <n> {', '[idempotent] method <id> "
                        + "<name>(<param>: <type>, …) -> <type> [default <value>]' or '}', found '" + s + "'");
            }
        }
        if (service == null) {
            errors.add(file + ": no 'service <name> {' block");
        } else if (depth != 0) {
            errors.add(file + ": the service block is not closed");
        }
        if (errors.isEmpty()) {
            for (String p : ServiceInterface.problems(service, version, methods)) {
                errors.add(file + ": " + p);
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", errors));
        }
        return new ServiceInterface(service, version, methods);
    }

    private static MethodSpec method(String file, int line, Matcher m, int since, List<String> errors) {
        List<KabiType> params = new ArrayList<>();
        boolean ok = true;
        if (!m.group(4).isBlank()) {
            for (String param : m.group(4).split(",")) {
                Matcher p = PARAM.matcher(param);
                KabiType t = p.matches() ? KabiType.ofWord(p.group(2)) : null;
                if (t == null) {
                    errors.add(file + ":" + line + ": a parameter is '<name>: <type>' with a type of bytes, string, "
                            + "i32, i64 or bool, not '" + param.strip() + "'");
                    ok = false;
                }
                params.add(t);
            }
        }
        KabiType result = KabiType.ofWord(m.group(5));
        if (result == null) {
            errors.add(file + ":" + line + ": a result is bytes, string, i32, i64, bool or void, not '" + m.group(5)
                    + "'");
            ok = false;
        }
        String def = m.group(6) == null ? null : m.group(6).strip();
        if (def != null && (result == KabiType.STRING || result == KabiType.BYTES)) {
            Matcher q = QUOTED.matcher(def);
            if (!q.matches()) {
                errors.add(file + ":" + line + ": a " + result.word() + " default is a \"quoted\" text, not " + def);
                ok = false;
            } else {
                def = unescape(q.group(1));
            }
        }
        return ok ? new MethodSpec(Integer.parseInt(m.group(2)), m.group(3), since, params, result, def,
                m.group(1) != null) : null;
    }

    /** The text of a quoted default, its escapes (\", \\, \n, \t) undone: QUOTED admits no others. */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                c = s.charAt(++i);
                c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
            }
            b.append(c);
        }
        return b.toString();
    }

    /** A default result as the IDL writes it. */
    static String literal(String value, KabiType type) {
        if (type != KabiType.STRING && type != KabiType.BYTES) {
            return value;
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t")
                + "\"";
    }
}
