package org.jdarknet.data;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdarknet.image.FloatImage;
import org.jdarknet.image.ImageException;
import org.jdarknet.image.ImageLoader;

/**
 * Loads batches in background threads ahead of the compute. Each image of a batch is a task for
 * the worker pool, so all workers help with the batch the consumer waits for; {@code prefetch}
 * batches are in flight at any time (the memory bound). Batch contents are reproducible: the
 * indexes and one random stream per image are drawn up front from the seed, in order, so the
 * thread count and scheduling change nothing. Used by one consumer thread; {@link #close()} may
 * come from any thread (a Ctrl-C handler) and wakes a waiting consumer.
 */
public final class BatchLoader implements Iterator<Batch>, Closeable {
    private static final AtomicInteger LOADERS = new AtomicInteger();
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final Dataset dataset;
    private final ImageTransform transform;
    private final int imageLength;
    private final int batchSize;
    private final IndexOrder order;
    private final boolean replaceUnreadable;
    private final LoaderOptions options;
    private final SplittableRandom random;
    private final UnreadableImages unreadable;
    private final ExecutorService workers;
    private final ConcurrentLinkedDeque<PendingBatch> pending = new ConcurrentLinkedDeque<>();
    private final Queue<Thread> threads = new ConcurrentLinkedQueue<>();
    private Batch ready;
    private volatile boolean closed;

    private BatchLoader(Dataset dataset, ImageTransform transform, int batchSize, IndexOrder order,
                        boolean replaceUnreadable, LoaderOptions options) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.dataset = dataset;
        this.transform = transform;
        this.imageLength = Batch.CHANNELS * transform.height() * transform.width();
        this.batchSize = batchSize;
        this.order = order;
        this.replaceUnreadable = replaceUnreadable;
        this.options = options;
        this.random = new SplittableRandom(options.seed());
        this.unreadable = new UnreadableImages(dataset, options.warn(),
                replaceUnreadable ? "replaced by another image" : "left out");
        this.workers = Executors.newFixedThreadPool(options.threads(), threadFactory());
        refill();
    }

    /**
     * Endless training batches of {@code batchSize} augmented images drawn by {@code sampling}
     * (darknet's is {@link Sampling#RANDOM}); an unreadable image is replaced by another one.
     */
    public static BatchLoader training(Dataset dataset, ImageTransform augmenter, int batchSize, Sampling sampling,
                                       LoaderOptions options) {
        return new BatchLoader(dataset, augmenter, batchSize, IndexOrder.of(sampling, dataset.size()), true, options);
    }

    /**
     * Every image once, in dataset order, through a deterministic {@code preprocessing} (see
     * {@link ImageTransform#of}); the last batch may be smaller, and unreadable images are left out.
     */
    public static BatchLoader validation(Dataset dataset, ImageTransform preprocessing, int batchSize,
                                         LoaderOptions options) {
        return new BatchLoader(dataset, preprocessing, batchSize, IndexOrder.sequential(dataset.size()), false,
                options);
    }

    private ThreadFactory threadFactory() {
        String prefix = "jdarknet-loader-" + LOADERS.incrementAndGet() + "-";
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        };
    }

    /** Waits for the next batch if need be; false once a validation pass is over. */
    @Override
    public boolean hasNext() {
        if (closed) {
            throw new IllegalStateException("the data loader is closed");
        }
        while (ready == null && !pending.isEmpty()) {
            Batch batch = await(pending.peekFirst());
            pending.pollFirst();
            refill();
            if (batch.size() > 0) {
                ready = batch;
            }
        }
        return ready != null;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the validation set has no more images");
        }
        Batch batch = ready;
        ready = null;
        return batch;
    }

    /** The seed of this loader's randomness, to log for reproducing a run. */
    public long seed() {
        return options.seed();
    }

    /** Distinct images that could not be read so far. */
    public int unreadableImages() {
        return unreadable.count();
    }

    /** Places in batches that unreadable images did not fill so far (replaced or left out). */
    public long skippedImages() {
        return unreadable.skips();
    }

    /**
     * Drops the batches not yet taken and waits for the workers to finish the image in hand. They
     * are not interrupted: an interrupt closes the file channel under a decoder, and the image
     * would then be reported as unreadable.
     */
    @Override
    public void close() {
        closed = true;
        pending.forEach(batch -> batch.result.cancel(false));
        workers.shutdown();
        joinThreads();
    }

    /** Waits until the worker threads have ended, not only their tasks. */
    private void joinThreads() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
        try {
            for (Thread thread : threads) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (thread.isAlive()) {
                    options.warn().accept(thread.getName() + " still running " + CLOSE_WAIT_SECONDS + " s after close");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Batch await(PendingBatch batch) {
        try {
            return batch.result.get();
        } catch (CancellationException e) {
            throw new IllegalStateException("the data loader is closed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            close();
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("data loading failed: " + e.getCause(), e.getCause());
        }
    }

    /** Starts batches until {@code prefetch} are in flight (or the order runs out). */
    private void refill() {
        while (!closed && pending.size() < options.prefetch() && order.remaining() > 0) {
            PendingBatch batch = new PendingBatch(Math.min(batchSize, order.remaining()));
            pending.addLast(batch);
            for (int slot = 0; slot < batch.indexes.length; slot++) {
                int place = slot;
                workers.execute(() -> batch.load(place));
            }
        }
    }

    /** A batch being loaded: its images were chosen at creation; workers fill its places. */
    private final class PendingBatch {
        final int[] indexes;
        final SplittableRandom[] randoms;
        final float[] images;
        final float[] truth;
        final int[] labels;
        final Path[] paths;
        final AtomicInteger unfinished;
        final CompletableFuture<Batch> result = new CompletableFuture<>();

        PendingBatch(int size) {
            indexes = new int[size];
            randoms = new SplittableRandom[size];
            Arrays.setAll(indexes, i -> order.next(random));
            Arrays.setAll(randoms, i -> random.split());
            images = new float[size * imageLength];
            truth = new float[size * dataset.classCount()];
            labels = new int[size];
            paths = new Path[size];
            unfinished = new AtomicInteger(size);
        }

        void load(int slot) {
            if (result.isDone()) {
                return;
            }
            try {
                fill(slot);
                if (unfinished.decrementAndGet() == 0) {
                    result.complete(compacted());
                }
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }

        /** Loads the place's image (or a replacement), transforms it and stores it with its truth. */
        private void fill(int slot) {
            SplittableRandom slotRandom = randoms[slot];
            int index = indexes[slot];
            FloatImage image = read(index);
            while (image == null) {
                unreadable.skipped();
                if (!replaceUnreadable || result.isDone()) {
                    return;
                }
                index = slotRandom.nextInt(dataset.size());
                image = read(index);
            }
            FloatImage input = transform.apply(image, new DarknetRandom(slotRandom));
            if (input.width() != transform.width() || input.height() != transform.height()
                    || input.channels() != Batch.CHANNELS) {
                throw new IllegalStateException("the transform made a " + input.width() + "x" + input.height() + "x"
                        + input.channels() + " image, the batch needs " + transform.width() + "x" + transform.height());
            }
            System.arraycopy(input.data(), 0, images, slot * imageLength, imageLength);
            dataset.fillTruth(index, truth, slot * dataset.classCount());
            labels[slot] = dataset.firstClass(index);
            paths[slot] = dataset.path(index);
        }

        /** The decoded image, or null when it is (now known to be) unreadable. */
        private FloatImage read(int index) {
            if (!unreadable.mayLoad(index)) {
                return null;
            }
            try {
                FloatImage image = ImageLoader.load(dataset.path(index));
                unreadable.loaded();
                return image;
            } catch (ImageException e) {
                unreadable.failed(index, e);
                return null;
            }
        }

        /** The finished batch, without the places that unreadable images left empty. */
        private Batch compacted() {
            int size = moveFilledPlacesForward();
            int classes = dataset.classCount();
            if (size == paths.length) {
                return new Batch(size, transform.width(), transform.height(), classes, images, truth, labels,
                        List.of(paths));
            }
            return new Batch(size, transform.width(), transform.height(), classes,
                    Arrays.copyOf(images, size * imageLength), Arrays.copyOf(truth, size * classes),
                    Arrays.copyOf(labels, size), List.of(Arrays.copyOf(paths, size)));
        }

        /** Moves the filled places to the front, in order; returns how many there are. */
        private int moveFilledPlacesForward() {
            int classes = dataset.classCount();
            int size = 0;
            for (int slot = 0; slot < paths.length; slot++) {
                if (paths[slot] == null) {
                    continue;
                }
                if (slot != size) {
                    System.arraycopy(images, slot * imageLength, images, size * imageLength, imageLength);
                    System.arraycopy(truth, slot * classes, truth, size * classes, classes);
                    labels[size] = labels[slot];
                    paths[size] = paths[slot];
                }
                size++;
            }
            return size;
        }
    }
}
