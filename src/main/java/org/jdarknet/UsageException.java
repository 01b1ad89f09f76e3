package org.jdarknet;

/**
 * A command-line value that parses but cannot be used: an unknown backend or preprocessing, a
 * count below its minimum, options that do not go together.
 */
public class UsageException extends UserException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
