package org.jdarknet.calibration;

import java.nio.file.Path;
import org.jdarknet.UserException;

/** A calibration file that cannot be used: unreadable, malformed, or made for another network. */
public final class CalibrationException extends UserException {
    private static final long serialVersionUID = 1L;

    public CalibrationException(String message) {
        super(message);
    }

    public CalibrationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code FILE:LINE: problem}, the way a compiler names where. */
    static CalibrationException at(Path file, int line, String problem) {
        return new CalibrationException(file + ":" + line + ": " + problem);
    }
}
