package io.berth.broker.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.NetUtil;
import java.util.Locale;

/**
 * What a request must show before anything else is looked at, so that no web page the operator visits
 * can use the admin API through the browser:
 *
 * <ul>
 *   <li>{@code Host} names this listener: a loopback literal, {@code localhost}, the configured bind
 *       address, or (when bound to a wildcard address) any IP literal, always with the bound port. A
 *       DNS-rebinding page sends its own host name and gets 403.
 *   <li>{@code Origin}, when present, is this listener's own origin ({@code http://} + the Host). Tools
 *       (curl, the CLI, Prometheus) send none; a cross-site page sends its own and gets 403.
 *   <li>A request with a body says {@code Content-Type: application/json}: a cross-site form or a
 *       no-cors {@code fetch} cannot, so it gets 415 (and a page that sets it must pass a CORS
 *       preflight, which this listener never grants).
 * </ul>
 *
 * <p>Threading: immutable; any thread.
 */
final class RequestGuard {
    private final String bind;
    private final boolean wildcard;
    private final int port;

    RequestGuard(String bind, int port) {
        String b = bind.toLowerCase(Locale.ROOT);
        this.bind = b.startsWith("[") && b.endsWith("]") ? b.substring(1, b.length() - 1) : b;
        this.wildcard = this.bind.equals("0.0.0.0") || this.bind.equals("::") || this.bind.equals("0:0:0:0:0:0:0:0");
        this.port = port;
    }

    /** @throws AdminError 403 or 415 when the request may not go further */
    void check(HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null || !hostAllowed(host)) {
            throw new AdminError(
                    403,
                    "Host '" + printable(host) + "' is not this admin listener (use 127.0.0.1:" + port + " or "
                            + "localhost:" + port + ")");
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
            throw new AdminError(403, "cross-origin requests are refused (Origin '" + printable(origin) + "')");
        }
        if (hasBody(request) && !json(request.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            throw new AdminError(415, "a request body must be sent with Content-Type: application/json");
        }
    }

    boolean hostAllowed(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        String name;
        int givenPort;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return false;
            }
            name = h.substring(1, end);
            String rest = h.substring(end + 1);
            givenPort = rest.isEmpty() ? 80 : rest.startsWith(":") ? parsePort(rest.substring(1)) : -1;
            if (!NetUtil.isValidIpV6Address(name)) {
                return false;
            }
        } else {
            int colon = h.lastIndexOf(':');
            name = colon < 0 ? h : h.substring(0, colon);
            givenPort = colon < 0 ? 80 : parsePort(h.substring(colon + 1));
        }
        if (givenPort != port) {
            return false;
        }
        if (name.equals("localhost") || name.equals(bind)) {
            return true;
        }
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(name);
        if (ip == null) {
            return false;
        }
        return wildcard || (ip.length == 4 ? ip[0] == 127 : NetUtil.isValidIpV6Address(name) && loopback6(ip));
    }

    private static boolean loopback6(byte[] ip) {
        for (int i = 0; i < 15; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[15] == 1;
    }

    private static int parsePort(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(s);
    }

    private static boolean hasBody(HttpRequest request) {
        HttpMethod m = request.method();
        if (m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD)) {
            return false;
        }
        String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        return request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
                || (length != null && !length.trim().equals("0"));
    }

    private static boolean json(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    /** {@code s} with control characters replaced and cut to 100 characters, for an error message. */
    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }
}
