package dev.captioner.service;

/**
 * An answer other than 200: its HTTP status and the one line the client reads in {@code {"error": ...}}. The
 * service never sends a stack trace.
 */
public final class ServiceError extends RuntimeException {
    private final int status;
    private final Integer retryAfterSeconds;

    ServiceError(int status, String message, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ServiceError badRequest(String message) {
        return new ServiceError(400, message, null);
    }

    public static ServiceError tooLarge(String message) {
        return new ServiceError(413, message, null);
    }

    public static ServiceError unsupportedMediaType(String message) {
        return new ServiceError(415, message, null);
    }

    public static ServiceError unprocessable(String message) {
        return new ServiceError(422, message, null);
    }

    /** 503 with Retry-After: the queue is full, the request timed out, or the service is stopping. */
    public static ServiceError unavailable(String message, int retryAfterSeconds) {
        return new ServiceError(503, message, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    /** Seconds the client should wait before trying again, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
