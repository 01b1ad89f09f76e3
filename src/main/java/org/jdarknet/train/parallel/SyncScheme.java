package org.jdarknet.train.parallel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jdarknet.backend.Tensor;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;

/** How replicas of a network are kept in step while they train. */
public enum SyncScheme {
    /**
     * One batch per step, dealt out in equal shards; before every update the replicas' gradients
     * (weights, biases, batch-norm scales, each still holding the momentum of earlier steps) and
     * their batch-norm rolling statistics are averaged, then each replica takes the same SGD step,
     * so all replicas hold the same values at all times. Each replica's solver counts its shard,
     * {@code batch/N}, as the batch: that is what makes the average of the summed gradients the
     * step one network would take on the whole batch.
     */
    ALLREDUCE("allreduce", "gradients and rolling statistics averaged every step"),
    /**
     * Darknet's {@code train_networks}: each replica trains on a whole batch of its own with the
     * learning rate multiplied by the replica count, and every {@link #AVERAGE_EVERY} steps the
     * learned values (weights, biases, batch-norm scales) are averaged; momentum and rolling
     * statistics stay each replica's own.
     */
    AVERAGE("average", "darknet's: own batches, rate x N, weights averaged every 4 steps");

    /** Darknet's sync interval ({@code train_networks(nets, n, d, 4)} in {@code train_classifier}). */
    public static final int AVERAGE_EVERY = 4;

    private final String spelling;
    private final String summary;

    SyncScheme(String spelling, String summary) {
        this.spelling = spelling;
        this.summary = summary;
    }

    public static SyncScheme byName(String name) {
        return Arrays.stream(values()).filter(s -> s.spelling.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown replica synchronisation '" + name + "'; known: "
                        + Arrays.stream(values()).map(SyncScheme::toString).collect(Collectors.joining(", "))));
    }

    /** One line for logs. */
    public String summary() {
        return spelling + " (" + summary + ")";
    }

    @Override
    public String toString() {
        return spelling;
    }

    /** Images each replica trains on per pass, from the cfg's {@code batch/subdivisions}. */
    int replicaBatch(int miniBatch, int replicas, String cfg) {
        return this == ALLREDUCE
                ? Sharding.even(miniBatch, replicas, cfg + ": batch/subdivisions").shardSize()
                : miniBatch;
    }

    /** The learning rate the replicas use for the schedule's {@code rate}. */
    float rate(float scheduled, int replicas) {
        return this == AVERAGE ? scheduled * replicas : scheduled;
    }

    /** Whether the reduction runs before every update. */
    boolean reducesBeforeUpdate() {
        return this == ALLREDUCE;
    }

    /** Whether the reduction runs after the update of step {@code step} (counted from 1). */
    boolean reducesAfter(long step) {
        return this == AVERAGE && step % AVERAGE_EVERY == 0;
    }

    /** What one replica contributes to the reduction, in layer order. */
    List<Tensor> reduced(Network network) {
        List<Tensor> tensors = new ArrayList<>();
        for (Layer layer : network.layers()) {
            for (Parameter parameter : layer.parameters()) {
                Tensor tensor = reduced(parameter);
                if (tensor != null) {
                    tensors.add(tensor);
                }
            }
        }
        return tensors;
    }

    /** The tensor of {@code parameter} this scheme averages; null for none. */
    private Tensor reduced(Parameter parameter) {
        boolean learned = parameter.gradient() != null;
        return switch (this) {
            case ALLREDUCE -> learned ? parameter.gradient()
                    : parameter.kind() == Parameter.Kind.STATISTIC ? parameter.value() : null;
            case AVERAGE -> learned ? parameter.value() : null;
        };
    }
}
