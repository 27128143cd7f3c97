package io.berth.broker.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of the admin listener, and how it becomes an HTTP response: every response carries the
 * security headers (a strict Content-Security-Policy without inline scripts, {@code nosniff}, no
 * framing, no referrer, no caching of data).
 *
 * @param headers extra headers (Allow, WWW-Authenticate)
 */
record Answer(int status, String contentType, byte[] body, Map<String, String> headers, boolean cacheable) {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Answer json(int status, Object body) {
        try {
            return new Answer(
                    status,
                    "application/json; charset=utf-8",
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body),
                    Map.of(),
                    false);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Answer error(AdminError e) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (e.status == 401) {
            headers.put("WWW-Authenticate", "Bearer realm=\"berth\"");
        }
        if (e.allow != null) {
            headers.put("Allow", e.allow);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        Answer a = json(e.status, body);
        return new Answer(a.status, a.contentType, a.body, headers, false);
    }

    /** The response; {@code head} leaves the body out (its length is still announced). */
    FullHttpResponse toResponse(boolean head) {
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpHeaders h = r.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        h.set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        h.set(HttpHeaderNames.CACHE_CONTROL, cacheable ? "no-cache" : "no-store");
        headers.forEach(h::set);
        return r;
    }
}
