package org.jdarknet.cfg;

import java.nio.file.Path;
import org.jdarknet.UserException;

/**
 * A problem in a .cfg or .data file, located as precisely as we can: file, line and key.
 * Darknet silently falls back to defaults in most of these cases; we stop and say where.
 */
public class CfgException extends UserException {
    private static final long serialVersionUID = 1L;

    public CfgException(Path file, int line, String key, String message) {
        super(locate(file, line, key) + message);
    }

    public CfgException(Path file, String message) {
        super(file + ": " + message);
    }

    private static String locate(Path file, int line, String key) {
        StringBuilder where = new StringBuilder().append(file);
        if (line > 0) {
            where.append(':').append(line);
        }
        where.append(": ");
        if (key != null) {
            where.append('\'').append(key).append("': ");
        }
        return where.toString();
    }
}
