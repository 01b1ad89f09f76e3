package org.jdarknet.image;

import java.nio.file.Path;
import org.jdarknet.UserException;

/** An image that cannot be read or decoded, named by its path. */
public class ImageException extends UserException {
    private static final long serialVersionUID = 1L;

    public ImageException(Path path, String message) {
        super(path + ": " + message);
    }

    /** A problem with no path to name, such as an empty image argument. */
    public ImageException(String message) {
        super(message);
    }

    public ImageException(Path path, String message, Throwable cause) {
        super(path + ": " + message, cause);
    }
}
