package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.jdarknet.image.ImageException;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.PendingImage;

/**
 * Decodes the next few images on their own threads while the network works on earlier ones, and
 * hands them back in the order of their paths. At most {@code threads + 1} images are decoded or
 * being decoded at a time, so that memory stays small whatever the number of paths. Once the
 * network is known ({@link #prepareInputs}), the decoder threads also make each image into the
 * network's input (letterboxing it, say), which leaves the compute only the forward passes.
 *
 * <p>When the compute keeps every core busy, decoding beside it slows both: a oneDNN pass on all
 * cores waits at each barrier for the thread the decoder pre-empted, and tiny's images then took
 * longer than decoding and computing one after the other (docs/benchmarks.md). So the decoders
 * then work between passes only: once the images under way are all handed out, the next window
 * of them is decoded at once, one per decoder thread (at least a batch), while the compute waits.
 */
final class DecodeAhead implements AutoCloseable {

    /**
     * An image decoded from {@code path}, or why it could not be: the network's {@code input}
     * made from it, or, when it was decoded before the network was known, the {@code image}.
     */
    record Decoded(Path path, PendingImage image, float[] input, ImageException problem) {
        /** The network's input, made now by {@code toInput} if the decoder did not make it. */
        float[] input(Function<PendingImage, float[]> toInput) {
            return input != null ? input : toInput.apply(image);
        }
    }

    private final ImagePaths paths;
    private final ExecutorService decoders;
    private final long maxPixels;
    private final ArrayDeque<Future<Decoded>> ahead = new ArrayDeque<>();
    private final int threads;
    private volatile InputFromFile toInput;
    private int window;
    private boolean betweenPasses;

    /** Starts decoding the first images now; each of at most {@code maxPixels} pixels. */
    DecodeAhead(ImagePaths paths, int threads, long maxPixels) {
        this(paths, threads, maxPixels, null);
    }

    /**
     * The same, the images decoded before {@link #prepareInputs} made into the network's input
     * by {@code early} where it can ({@link InputFromFile}); null: they wait for the network.
     */
    DecodeAhead(ImagePaths paths, int threads, long maxPixels, InputFromFile early) {
        this.toInput = early;
        this.paths = paths;
        this.threads = threads;
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
     * Decodes the image in a file of at most {@code maxPixels} pixels into the network's input;
     * null when it cannot yet (the image is then decoded to be prepared later).
     */
    interface InputFromFile {
        float[] apply(Path path, long maxPixels);
    }

    /**
     * Decodes each image from now on straight into the network's input, with {@code toInput}
     * (which must be safe to call from several threads at once), for a network that takes
     * {@code batch} images a pass; {@code betweenPasses}: decode only while the compute waits.
     */
    void prepareInputs(InputFromFile toInput, int batch, boolean betweenPasses) {
        this.toInput = toInput;
        this.betweenPasses = betweenPasses;
        if (betweenPasses) {
            window = Math.max(threads, batch);
        }
    }

    /** The next image in order, waiting for its path and its decoding; empty when no path is left. */
    Optional<Decoded> next() {
        if (ahead.isEmpty()) {
            paths.take().ifPresent(this::submit);
            if (betweenPasses) {
                fill();
            }
        }
        Future<Decoded> head = ahead.poll();
        if (head == null) {
            return Optional.empty();
        }
        Decoded decoded = join(head);
        if (!betweenPasses) {
            fill();
        }
        return Optional.of(decoded);
    }

    /** Whether {@link #next} has an image under way, so that waiting for it cannot stall on stdin. */
    boolean hasNextUnderWay() {
        if (!betweenPasses) {
            fill();
        }
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
            InputFromFile prepare = toInput;
            float[] input = prepare == null ? null : prepare.apply(path, maxPixels);
            return input != null ? new Decoded(path, null, input, null)
                    : new Decoded(path, ImageLoader.loadPending(path, maxPixels), null, null);
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
