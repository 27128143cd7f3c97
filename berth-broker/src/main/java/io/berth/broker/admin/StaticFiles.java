package io.berth.broker.admin;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console's files, read from the classpath folder {@code io/berth/broker/admin/console/} (so
 * from the jar: nothing is fetched at run time). {@code /} is {@code index.html}. Only paths made of
 * plain names ({@code [A-Za-z0-9_-]} with one extension, optionally one folder deep) are looked up, so
 * no {@code ..}, encoded separator or absolute path can reach anything else. The files hold no data: they
 * are served without the token.
 *
 * <p>Threading: any thread; the cache is a concurrent map filled on first use.
 */
final class StaticFiles {
    static final String ROOT = "io/berth/broker/admin/console/";
    private static final Pattern NAME = Pattern.compile("/(?:[A-Za-z0-9_-]+/)?[A-Za-z0-9_-]+\\.[a-z0-9]+");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json; charset=utf-8",
            "txt", "text/plain; charset=utf-8");

    /** A file to send. */
    record File(String contentType, byte[] bytes) {}

    private final ClassLoader loader = StaticFiles.class.getClassLoader();
    private final Map<String, Optional<File>> cache = new ConcurrentHashMap<>();

    /** The file at {@code rawPath} (the request path, query removed), if the console has one. */
    Optional<File> find(String rawPath) {
        String path = rawPath.equals("/") ? "/index.html" : rawPath;
        if (!NAME.matcher(path).matches()) {
            return Optional.empty();
        }
        String type = TYPES.get(path.substring(path.lastIndexOf('.') + 1));
        if (type == null) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(path, p -> load(p, type));
    }

    private Optional<File> load(String path, String type) {
        try (InputStream in = loader.getResourceAsStream(ROOT + path.substring(1))) {
            return in == null ? Optional.empty() : Optional.of(new File(type, in.readAllBytes()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
