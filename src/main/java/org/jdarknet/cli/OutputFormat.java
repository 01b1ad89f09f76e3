package org.jdarknet.cli;

/** How {@code classify} prints its predictions on stdout. */
enum OutputFormat {
    /** Darknet's lines, {@code %5.2f%%: name}; a {@code path:} line before each image when there are several. */
    text,
    /** One row per prediction: image, rank, index, label, probability. */
    csv,
    /** One JSON object per image and line (JSON Lines). */
    json
}
