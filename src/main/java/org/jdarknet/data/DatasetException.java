package org.jdarknet.data;

import org.jdarknet.UserException;

/**
 * A data set that cannot be trained or validated on: a list or class folder that is missing,
 * empty or does not fit its labels, or images of which none can be read. The message starts
 * with the file or folder at fault.
 */
public class DatasetException extends UserException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
