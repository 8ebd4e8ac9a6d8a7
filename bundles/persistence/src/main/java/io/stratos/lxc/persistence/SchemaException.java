package io.stratos.lxc.persistence;

/** A component's schema cannot be brought up to date; the message says why, for the log and the status. */
public class SchemaException extends Exception {

    public SchemaException(String message) {
        super(message);
    }

    public SchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
