package org.jdarknet;

/**
 * A problem the user can fix: a bad file, option or data set, said in one line that names what
 * and where. The command line prints its message alone (a stack trace only with {@code --verbose});
 * any other exception that reaches it is a bug in jdarknet and is reported as one, trace and all.
 */
public abstract class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected UserException(String message) {
        super(message);
    }

    protected UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
