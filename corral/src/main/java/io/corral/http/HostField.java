package io.corral.http;

/**
 * The syntax of a Host field value (RFC 9112 §3.2, RFC 3986 §3.2.2): {@code uri-host [ ":" port ]}, where uri-host is
 * an IP-literal in brackets, or a reg-name of unreserved characters, percent-escapes and sub-delims (which covers
 * IPv4 addresses), and the port is digits. The empty value is valid (a target without authority). Whatever else a
 * client sends there (spaces, slashes, userinfo, a second colon) names no host, and a proxy and Corral could read it
 * differently, so it is refused.
 */
final class HostField {
    private static final String SUB_DELIMS = "!$&'()*+,;=";
    private static final String UNRESERVED_MARKS = "-._~";

    private HostField() {
    }

    static boolean isValid(String value) {
        int hostEnd;
        if (value.startsWith("[")) {
            hostEnd = value.indexOf(']');
            if (hostEnd < 0 || !isIpLiteralBody(value, 1, hostEnd)) {
                return false;
            }
            hostEnd++;
        } else {
            int colon = value.indexOf(':');
            hostEnd = colon < 0 ? value.length() : colon;
            if (!isRegName(value, 0, hostEnd)) {
                return false;
            }
        }
        if (hostEnd == value.length()) {
            return true;
        }
        return value.charAt(hostEnd) == ':' && isDigits(value, hostEnd + 1, value.length());
    }

    /** IPv6address or IPvFuture: hex digits, colons, dots, and IPvFuture's "v" with unreserved and sub-delims. */
    private static boolean isIpLiteralBody(String value, int from, int to) {
        if (from == to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (!(isUnreserved(c) || SUB_DELIMS.indexOf(c) >= 0 || c == ':')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isRegName(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= to || !isHex(value.charAt(i + 1)) || !isHex(value.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (!isUnreserved(c) && SUB_DELIMS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigits(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || UNRESERVED_MARKS.indexOf(c) >= 0;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
