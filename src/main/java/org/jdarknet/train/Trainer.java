package org.jdarknet.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdarknet.Log;
import org.jdarknet.data.Augmenter;
import org.jdarknet.data.Batch;
import org.jdarknet.data.BatchLoader;
import org.jdarknet.data.Dataset;
import org.jdarknet.data.ImageTransform;
import org.jdarknet.data.LoaderOptions;
import org.jdarknet.data.Sampling;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.net.NetConfig;
import org.jdarknet.net.Network;
import org.jdarknet.train.parallel.Replicas;

/**
 * Darknet's classifier training loop ({@code train_classifier}): each iteration trains on
 * {@code batch} augmented images in {@code subdivisions} passes, takes one SGD step, and prints
 * darknet's progress line on stdout
 * ({@code batch, epoch: loss, average avg, rate rate, seconds seconds, images images}). Checkpoints
 * under darknet's names; on top of darknet: Ctrl-C saves a checkpoint and stops cleanly, a loss
 * that turns NaN or infinite stops training before any checkpoint is overwritten, validation
 * accuracy every so many batches, a progress bar on terminals, and a loss chart (checked before
 * training starts; a later failure to draw it only warns). The backup directory is locked for the
 * run ({@link BackupLock}), so that a second training cannot overwrite its checkpoints. It trains
 * {@link Replicas}: one network, or replicas of it kept in step (darknet's {@code -gpus}).
 */
public final class Trainer {
    private static final long SHUTDOWN_GRACE_SECONDS = 120;

    /** How a run ended. */
    public enum Outcome { FINISHED, INTERRUPTED, DIVERGED }

    private final Replicas replicas;
    private final Network network;
    private final NetConfig config;
    private final Dataset training;
    private final Optional<Dataset> validation;
    private final TrainingOptions options;
    private final PrintStream out;
    private final LearningRateSchedule schedule;
    private final Checkpoints checkpoints;
    private final Optional<TrainingChart> chart;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private float averageLoss = -1;
    private Path lastCheckpoint;

    public Trainer(Replicas replicas, Dataset training, Optional<Dataset> validation, TrainingOptions options, PrintStream out) {
        this.replicas = replicas;
        this.network = replicas.primary();
        this.config = network.config();
        this.training = training;
        this.validation = validation;
        this.options = options;
        this.out = out;
        this.schedule = new LearningRateSchedule(config.solver(), new SplittableRandom(options.seed()));
        this.checkpoints = new Checkpoints(network, options.backup(), options.name());
        this.chart = options.chart().map(file -> new TrainingChart(file, options.name(), options.topK()));
        replicas.seedTraining(options.seed());
    }

    /** The last batch number training runs to: the cfg's {@code max_batches}, or the override; 0 for no end. */
    public long maxBatches() {
        return options.maxBatches() > 0 ? options.maxBatches() : config.solver().maxBatches();
    }

    public Outcome run() {
        Thread hook = new Thread(this::stopAndWait, "jdarknet-stop");
        try (BackupLock lock = BackupLock.acquire(options.backup())) {
            chart.ifPresent(TrainingChart::save); // a chart that cannot be written is said now, not at batch 50
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return trainUntilDone();
            } finally {
                stopped.countDown();
                removeQuietly(hook);
            }
        }
    }

    private Outcome trainUntilDone() {
        if (options.writeClassList()) {
            ClassFolderFiles.write(options.backup(), options.name(), training.classNames(), validation, options.topK(),
                    Log::warn);
        }
        Log.info(String.format(Locale.ROOT, "%s: %d images in %d classes; learning rate %g, momentum %g, decay %g;"
                        + " batch %d in %d subdivisions; backend %s", options.name(), training.size(), training.classCount(),
                config.solver().learningRate(), config.solver().momentum(), config.solver().decay(), config.batch(),
                config.subdivisions(), replicas.description()));
        LoaderOptions loaderOptions = LoaderOptions.defaults().withThreads(options.loaderThreads()).withSeed(options.seed());
        ImageTransform augmenter = Augmenter.of(config.augmentation(), config.width(), config.height());
        ProgressBar bar = new ProgressBar(System.err, System.console() != null, currentBatch(), network.seen());
        try (BatchLoader loader = BatchLoader.training(training, augmenter, replicas.loaderBatch(), Sampling.RANDOM, loaderOptions)) {
            long epoch = network.seen() / training.size();
            while (currentBatch() < maxBatches() || maxBatches() == 0) {
                long start = System.nanoTime();
                long batchBefore = currentBatch();
                float loss = trainOneBatch(loader);
                if (!Float.isFinite(loss)) {
                    bar.finish();
                    reportDivergence(loss);
                    return Outcome.DIVERGED;
                }
                float rate = replicas.learningRate(schedule.rate(currentBatch()));
                replicas.update(rate);
                report(loss, rate, (System.nanoTime() - start) / 1e9);
                bar.update(currentBatch(), maxBatches(), network.seen());
                if (network.seen() / training.size() > epoch) {
                    epoch = network.seen() / training.size();
                    lastCheckpoint = checkpoints.epoch(epoch);
                }
                if (reached(batchBefore, options.checkpointEvery())) {
                    lastCheckpoint = checkpoints.backup();
                }
                if (options.validEvery() > 0 && reached(batchBefore, options.validEvery())) {
                    validate();
                }
                if (stopRequested) {
                    bar.finish();
                    lastCheckpoint = checkpoints.backup();
                    Log.info("Interrupted at batch " + currentBatch() + "; resume with the weights " + lastCheckpoint);
                    return Outcome.INTERRUPTED;
                }
            }
            bar.finish();
            checkpoints.last();
            chart.ifPresent(TrainingChart::saveOrWarn);
            return Outcome.FINISHED;
        }
    }

    /** Darknet's train_network over one batch: the passes' costs summed, per image. */
    private float trainOneBatch(BatchLoader loader) {
        float sum = 0;
        for (int pass = 0; pass < config.subdivisions(); pass++) {
            Batch batch = loader.next();
            sum += replicas.train(batch);
        }
        return sum / replicas.imagesPerStep();
    }

    /**
     * Whether the last step reached a multiple of {@code every} batches: darknet's
     * {@code batch % every == 0} for steps of one batch, and not skipped by replicas whose
     * steps count several.
     */
    private boolean reached(long batchBefore, long every) {
        return currentBatch() / every > batchBefore / every;
    }

    private void report(float loss, float rate, double seconds) {
        averageLoss = averageLoss < 0 ? loss : (float) (averageLoss * .9 + loss * .1);
        out.printf(Locale.ROOT, "%d, %.3f: %f, %f avg, %f rate, %f seconds, %d images%n", currentBatch(),
                (float) network.seen() / training.size(), loss, averageLoss, rate, seconds, network.seen());
        out.flush();
        chart.ifPresent(c -> {
            c.addLoss(currentBatch(), loss, averageLoss);
            if (currentBatch() % 50 == 0) {
                c.saveOrWarn();
            }
        });
    }

    private void validate() {
        Dataset dataset = validation.orElse(null);
        if (dataset == null) {
            return;
        }
        ImageTransform preprocessing = ImageTransform.of(Preprocessing.CENTER_CROP, config.width(), config.height());
        LoaderOptions loaderOptions = LoaderOptions.defaults().withThreads(options.loaderThreads()).withSeed(options.seed());
        Evaluation evaluation = new Validator(network, dataset, preprocessing, loaderOptions)
                .run(options.topK(), (batch, item, predictions, soFar) -> { });
        Log.info(String.format(Locale.ROOT, "validation at batch %d: top-1 %.4f, top-%d %.4f (%d images)",
                currentBatch(), evaluation.top1(), options.topK(), evaluation.topK(), evaluation.images()));
        chart.ifPresent(c -> {
            c.addAccuracy(currentBatch(), evaluation.top1(), evaluation.topK());
            c.saveOrWarn();
        });
    }

    private void reportDivergence(float loss) {
        String kept = lastCheckpoint != null ? "the last good weights are " + lastCheckpoint
                : "no checkpoint was written yet";
        Log.error("the loss became " + loss + " at batch " + (currentBatch() + 1) + " (learning rate "
                + replicas.learningRate(schedule.rate(currentBatch())) + "): training stopped and nothing was saved; " + kept
                + ". Try a lower learning_rate or a longer burn_in.");
    }

    /** Darknet's get_current_batch: weight updates so far. */
    private long currentBatch() {
        return network.seen() / config.batch();
    }

    /** Runs in the shutdown hook (Ctrl-C, SIGTERM): asks the loop to checkpoint and waits for it. */
    private void stopAndWait() {
        stopRequested = true;
        try {
            stopped.await(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting (Ctrl-C): the hook has run or is running.
        }
    }
}
