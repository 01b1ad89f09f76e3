package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.jdarknet.image.FloatImage;
import org.jdarknet.image.ImageException;
import org.jdarknet.image.ImageLoader;

/**
 * Decodes the next few images on their own threads while the network works on earlier ones, and
 * hands them back in the order of their paths. At most {@code threads + 1} images are decoded or
 * being decoded at a time, so that memory stays small whatever the number of paths. Once the
 * network is known ({@link #prepareInputs}), the decoder threads also make each image into the
 * network's input (letterboxing it, say), which leaves the compute only the forward passes.
 */
final class DecodeAhead implements AutoCloseable {

    /**
     * An image decoded from {@code path}, or why it could not be; {@code input} is the network's
     * input made from it, or null when it was decoded before the network was known.
     */
    record Decoded(Path path, FloatImage image, float[] input, ImageException problem) {
        /** The network's input, made now by {@code toInput} if the decoder did not make it. */
        float[] input(Function<FloatImage, float[]> toInput) {
            return input != null ? input : toInput.apply(image);
        }
    }

    private final ImagePaths paths;
    private final ExecutorService decoders;
    private final int window;
    private final long maxPixels;
    private final ArrayDeque<Future<Decoded>> ahead = new ArrayDeque<>();
    private volatile Function<FloatImage, float[]> toInput;

    /** Starts decoding the first images now; each of at most {@code maxPixels} pixels. */
    DecodeAhead(ImagePaths paths, int threads, long maxPixels) {
        this.paths = paths;
        this.window = threads + 1;
        this.maxPixels = maxPixels;
        this.decoders = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "image decoder");
            thread.setDaemon(true); // abandoned when the network fails to load
            return thread;
        });
        fill();
    }

    /** The decoder threads for this machine: one per core, at most 4, leaving the compute its share. */
    static int defaultThreads() {
        return Math.min(4, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Makes each image decoded from now on into the network's input too, with {@code toInput}
     * (which must be safe to call from several threads at once).
     */
    void prepareInputs(Function<FloatImage, float[]> toInput) {
        this.toInput = toInput;
    }

    /** The next image in order, waiting for its path and its decoding; empty when no path is left. */
    Optional<Decoded> next() {
        if (ahead.isEmpty()) {
            paths.take().ifPresent(this::submit);
        }
        Future<Decoded> head = ahead.poll();
        if (head == null) {
            return Optional.empty();
        }
        Decoded decoded = join(head);
        fill();
        return Optional.of(decoded);
    }

    /** Whether {@link #next} has an image under way, so that waiting for it cannot stall on stdin. */
    boolean hasNextUnderWay() {
        fill();
        return !ahead.isEmpty();
    }

    private void fill() {
        while (ahead.size() < window) {
            Optional<Path> path = paths.poll();
            if (path.isEmpty()) {
                return;
            }
            submit(path.get());
        }
    }

    private void submit(Path path) {
        ahead.add(decoders.submit(() -> decode(path)));
    }

    private Decoded decode(Path path) {
        try {
            FloatImage image = ImageLoader.load(path, maxPixels);
            Function<FloatImage, float[]> prepare = toInput;
            return new Decoded(path, image, prepare == null ? null : prepare.apply(image), null);
        } catch (ImageException e) {
            return new Decoded(path, null, null, e);
        }
    }

    /** The decoded image, or the decoder's unexpected exception thrown here. */
    private static Decoded join(Future<Decoded> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException problem) {
                throw problem;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding an image", e);
        }
    }

    @Override
    public void close() {
        decoders.shutdownNow();
    }
}
