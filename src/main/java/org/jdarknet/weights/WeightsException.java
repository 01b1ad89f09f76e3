package org.jdarknet.weights;

import java.nio.file.Path;
import org.jdarknet.UserException;

/** A weights file that does not fit its cfg, or cannot be read or written. */
public class WeightsException extends UserException {
    private static final long serialVersionUID = 1L;

    public WeightsException(Path file, String message) {
        super(file + ": " + message);
    }

    public WeightsException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
