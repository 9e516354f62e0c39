package io.corral.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Gunicorn's access-log format, compiled once: literal text and {@code %(atom)s} parts. Atoms as Gunicorn's: h remote
 * address, l '-', u user, t time, r request line, m method, U path, q query, H protocol, s status, B body bytes,
 * b body bytes or '-', f referer, a user agent, T seconds, M milliseconds, D microseconds, L decimal seconds,
 * p pid, {name}i request header, {name}o response header, {name}e environment variable.
 */
public final class AccessLogFormat {
    private static final Set<String> ATOMS =
            Set.of("h", "l", "u", "t", "r", "m", "U", "q", "H", "s", "B", "b", "f", "a", "T", "M", "D", "L", "p");

    /** One part of a line: literal text, an atom, or a named header/variable ({@code kind} i, o or e). */
    public record Part(String literal, String atom, String name, char kind) {
        static Part literal(String text) {
            return new Part(text, null, null, ' ');
        }
    }

    private final List<Part> parts;

    private AccessLogFormat(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    public List<Part> parts() {
        return parts;
    }

    public static AccessLogFormat compile(String format) {
        var parts = new ArrayList<Part>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            int start = format.indexOf("%(", i);
            if (start < 0) {
                literal.append(format, i, format.length());
                break;
            }
            int end = format.indexOf(")s", start);
            if (end < 0) {
                throw new IllegalArgumentException("unclosed atom at '" + format.substring(start)
                        + "'; atoms look like %(h)s");
            }
            literal.append(format, i, start);
            if (!literal.isEmpty()) {
                parts.add(Part.literal(literal.toString()));
                literal.setLength(0);
            }
            parts.add(atom(format.substring(start + 2, end)));
            i = end + 2;
        }
        if (!literal.isEmpty()) {
            parts.add(Part.literal(literal.toString()));
        }
        return new AccessLogFormat(parts);
    }

    private static Part atom(String inside) {
        if (inside.startsWith("{")) {
            int close = inside.indexOf('}');
            if (close > 1 && close == inside.length() - 2 && "ioe".indexOf(inside.charAt(close + 1)) >= 0) {
                return new Part(null, null, inside.substring(1, close), inside.charAt(close + 1));
            }
            throw new IllegalArgumentException("bad atom %(" + inside + ")s; named atoms look like %({user-agent}i)s");
        }
        if (!ATOMS.contains(inside)) {
            throw new IllegalArgumentException("unknown atom %(" + inside + ")s");
        }
        return new Part(null, inside, null, ' ');
    }

    /** The setting's parser: checks the format compiles and keeps its text. */
    static String validate(String raw) {
        compile(raw);
        return raw;
    }
}
