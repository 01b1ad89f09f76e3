package org.jdarknet.data;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jdarknet.image.ImageException;

/**
 * The images a loader could not read: each is warned about once and not tried again. Training
 * goes on without them unless no image can be read at all, which is an error: every image of
 * the dataset failed, or the first {@value #FAIL_FAST} distinct images tried failed before any
 * loaded (a list of wrong paths should not print a million warnings first). Thread-safe.
 */
final class UnreadableImages {
    static final int FAIL_FAST = 100;

    private final Dataset dataset;
    private final Consumer<String> warn;
    private final String consequence;
    private final Set<Integer> known = ConcurrentHashMap.newKeySet();
    private final AtomicLong skipped = new AtomicLong();
    private volatile boolean anyLoaded;
    private volatile DatasetException hopeless;

    /** {@code consequence} says in the warning what becomes of the image's place in the batch. */
    UnreadableImages(Dataset dataset, Consumer<String> warn, String consequence) {
        this.dataset = dataset;
        this.warn = warn;
        this.consequence = consequence;
    }

    /** False for an image known to be unreadable; throws once there is nothing left to load. */
    boolean mayLoad(int index) {
        if (hopeless != null) {
            throw hopeless;
        }
        return !known.contains(index);
    }

    /** Records a failed load, warns once per image; throws when no image is left to train on. */
    void failed(int index, ImageException e) {
        if (known.add(index)) {
            int count = known.size();
            warn.accept("skipped " + e.getMessage() + " (" + consequence + "; " + count + " unreadable so far)");
            if (count == dataset.size()) {
                hopeless = new DatasetException(dataset.source() + ": none of its " + count
                        + " images can be read");
            } else if (!anyLoaded && count >= FAIL_FAST) {
                hopeless = new DatasetException(dataset.source() + ": the first " + count
                        + " images tried could not be read (e.g. " + e.getMessage() + "); are the paths right?");
            }
        }
        if (hopeless != null) {
            throw hopeless;
        }
    }

    void loaded() {
        anyLoaded = true;
    }

    /** One place in a batch that an unreadable image did not fill. */
    void skipped() {
        skipped.incrementAndGet();
    }

    int count() {
        return known.size();
    }

    long skips() {
        return skipped.get();
    }
}
