package org.jdarknet.classify;

import java.nio.file.Path;
import org.jdarknet.UserException;

/** A class names file that cannot be read as one, named by its path. */
public class LabelsException extends UserException {
    private static final long serialVersionUID = 1L;

    public LabelsException(Path file, String message) {
        super(file + ": " + message);
    }
}
