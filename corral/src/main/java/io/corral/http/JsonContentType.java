package io.corral.http;

import java.util.Locale;

/**
 * Whether a request body is declared as JSON: {@code application/json} or {@code application/*+json}, with no charset
 * or UTF-8 (RFC 8259: JSON is UTF-8). Anything else is refused with 415 before the body is read, because a page of
 * any site may POST {@code text/plain} or a form to another site without a CORS preflight: a JSON API that reads
 * those as JSON takes cross-site requests a browser would otherwise have stopped.
 */
final class JsonContentType {
    private JsonContentType() {
    }

    static boolean accepts(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json")
                && !(type.startsWith("application/") && type.endsWith("+json") && type.indexOf('/') == 11)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring("charset=".length()).replace("\"", "");
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    return false;
                }
            }
        }
        return true;
    }
}
