package io.berth.broker.admin;

import org.jspecify.annotations.Nullable;

/**
 * A request the admin API refuses, with its HTTP status (400, 401, 403, 404, 405, 409, 413, 415, ...) and a
 * message for the operator.
 */
final class AdminError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    /** The methods allowed, for a 405; null otherwise. */
    final @Nullable String allow;

    AdminError(int status, String message) {
        this(status, message, null);
    }

    private AdminError(int status, String message, @Nullable String allow) {
        super(message, null, false, false);
        this.status = status;
        this.allow = allow;
    }

    static AdminError methodNotAllowed(String method, String allowed) {
        return new AdminError(405, method + " is not allowed here; allowed: " + allowed, allowed);
    }

    static AdminError badRequest(String message) {
        return new AdminError(400, message);
    }

    static AdminError notFound(String message) {
        return new AdminError(404, message);
    }

    /** A short name of the status for the JSON body. */
    String code() {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 408 -> "timeout";
            case 413 -> "too_large";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            default -> "error";
        };
    }
}
