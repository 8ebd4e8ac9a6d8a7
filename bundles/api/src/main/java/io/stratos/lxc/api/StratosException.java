package io.stratos.lxc.api;

/**
 * A failure the user can act on. The REST API turns it into {@code {"error","field","hint"}}
 * with the status of its kind; the shell prints its message on one line.
 */
public class StratosException extends RuntimeException {

    /** What kind of failure, so every front end maps it the same way. */
    public enum Kind { INVALID_INPUT, NOT_FOUND, CONFLICT, UNAVAILABLE, TOO_LARGE, FORBIDDEN }

    private final Kind kind;
    private final String field;
    private final String hint;

    public StratosException(Kind kind, String message, String field, String hint) {
        super(message);
        this.kind = kind;
        this.field = field;
        this.hint = hint;
    }

    public StratosException(Kind kind, String message, String field, String hint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.field = field;
        this.hint = hint;
    }

    public static StratosException invalid(String field, String message, String hint) {
        return new StratosException(Kind.INVALID_INPUT, message, field, hint);
    }

    public static StratosException notFound(String message, String hint) {
        return new StratosException(Kind.NOT_FOUND, message, null, hint);
    }

    public static StratosException conflict(String field, String message, String hint) {
        return new StratosException(Kind.CONFLICT, message, field, hint);
    }

    public static StratosException tooLarge(String field, String message, String hint) {
        return new StratosException(Kind.TOO_LARGE, message, field, hint);
    }

    /** The caller is known but its role does not allow this. */
    public static StratosException forbidden(String message, String hint) {
        return new StratosException(Kind.FORBIDDEN, message, null, hint);
    }

    public static StratosException unavailable(String message, String hint) {
        return new StratosException(Kind.UNAVAILABLE, message, null, hint);
    }

    public Kind kind() { return kind; }

    /** The input field at fault, or null. */
    public String field() { return field; }

    /** How to fix it, or null. */
    public String hint() { return hint; }
}
