package io.berth.broker.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand on a socket, for requests {@link java.net.http.HttpClient} will not send (a
 * foreign Host, a partial request) and for reading the raw answer.
 */
final class RawHttp implements AutoCloseable {
    /** An answer: status, headers (lower-case names) and body. */
    record Response(int status, Map<String, String> headers, String body) {}

    private final Socket socket = new Socket();

    RawHttp(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(15_000);
    }

    static Response exchange(int port, String request) throws IOException {
        try (RawHttp h = new RawHttp(port)) {
            h.write(request);
            return h.read();
        }
    }

    /** A request with {@code Connection: close}; {@code headers} are whole lines without CRLF. */
    static String request(String method, String path, String body, String... headers) {
        StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        if (body != null) {
            b.append("Content-Length: ")
                    .append(body.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n");
        }
        b.append("Connection: close\r\n\r\n");
        if (body != null) {
            b.append(body);
        }
        return b.toString();
    }

    void write(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Reads one answer: status line, headers, and Content-Length bytes of body. */
    Response read() throws IOException {
        InputStream in = socket.getInputStream();
        String status = line(in);
        if (status == null) {
            throw new IOException("closed without an answer");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(
                    l.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    l.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    /** True when the server closed the connection (end of stream). */
    boolean closedByServer() throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
