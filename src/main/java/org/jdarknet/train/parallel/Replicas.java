package org.jdarknet.train.parallel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Tensor;
import org.jdarknet.data.Batch;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.NetConfig;
import org.jdarknet.net.Network;
import org.jdarknet.train.Solver;

/**
 * The networks one training run keeps in step, one per backend (per GPU, or several on a CPU):
 * what the training loop trains in place of a single network. Replica 0 is the one checkpoints
 * are written from and validation runs on. Replicas train one after another on the calling
 * thread. With one replica this is exactly single-network training.
 *
 * <p>Every replica counts all images the replicas trained on as seen, so batch numbers, epochs
 * and the learning-rate schedule follow the images of the whole run: with {@link SyncScheme#ALLREDUCE}
 * a step is one cfg batch, as on one device; with {@link SyncScheme#AVERAGE} a step is N of them.
 */
public final class Replicas implements AutoCloseable {
    private final List<Network> networks;
    private final SyncScheme scheme;
    private final Sharding sharding;
    private final Solver solver;
    private final int solverBatch;
    private final AllReduce reduction;
    private long steps;

    /**
     * Replicas of networks built for training, {@code networks.get(0)} holding the starting values
     * (initialised, weights loaded): they are copied to the others here, with its image count.
     */
    public Replicas(List<Network> networks, SyncScheme scheme, AllReduce.Factory allReduce) {
        if (networks.isEmpty()) {
            throw new IllegalArgumentException("training needs at least one network");
        }
        this.networks = List.copyOf(networks);
        this.scheme = scheme;
        NetConfig config = primary().config();
        int replicaBatch = primary().inputShape().n();
        this.sharding = new Sharding(networks.size(), replicaBatch);
        this.solver = new Solver(config.solver());
        this.solverBatch = replicaBatch * config.subdivisions();
        if (networks.size() == 1) {
            this.reduction = null;
            return;
        }
        try (AllReduce start = allReduce.over(slabs(Replicas::everyValue))) {
            start.broadcast();
        }
        this.networks.forEach(network -> network.setSeen(primary().seen()));
        this.reduction = allReduce.over(slabs(scheme::reduced));
    }

    /**
     * Builds one training network of {@code cfg} per backend with the batch {@code scheme} gives
     * each, lets {@code startingValues} prepare the first (initialise, load weights), and keeps
     * them in step from there.
     */
    public static Replicas build(Path cfg, NetConfig config, List<Backend> backends, SyncScheme scheme,
                                 AllReduce.Factory allReduce, Consumer<Network> startingValues) {
        int replicaBatch = scheme.replicaBatch(config.miniBatch(), backends.size(), cfg.toString());
        List<Network> networks = new ArrayList<>();
        try {
            for (Backend backend : backends) {
                networks.add(Network.buildForTraining(cfg, backend, replicaBatch));
            }
            startingValues.accept(networks.get(0));
            return new Replicas(networks, scheme, allReduce);
        } catch (RuntimeException e) {
            networks.forEach(Network::close);
            throw e;
        }
    }

    /** Replica 0: checkpoints, validation and the image count come from it. */
    public Network primary() {
        return networks.get(0);
    }

    public int count() {
        return networks.size();
    }

    /** Images the loader delivers for one pass: every replica's share together. */
    public int loaderBatch() {
        return sharding.batchSize();
    }

    /** Images one step (an SGD update on every replica) trains on. */
    public int imagesPerStep() {
        return loaderBatch() * primary().config().subdivisions();
    }

    /** Replica {@code r}'s training randomness (dropout, crops) seeded with {@code seed + r}. */
    public void seedTraining(long seed) {
        for (int r = 0; r < networks.size(); r++) {
            networks.get(r).seedTraining(seed + r);
        }
    }

    /**
     * One pass: replica {@code r} trains on shard {@code r} of {@code batch}. Returns the replicas'
     * costs summed in replica order and counts the whole batch as seen on every replica.
     */
    public float train(Batch batch) {
        long seen = primary().seen() + batch.size();
        float cost = 0;
        for (int r = 0; r < networks.size(); r++) {
            cost += networks.get(r).train(sharding.images(batch, r), sharding.truth(batch, r));
        }
        networks.forEach(network -> network.setSeen(seen));
        return cost;
    }

    /** The rate the replicas step with when the schedule says {@code scheduled}. */
    public float learningRate(float scheduled) {
        return scheme.rate(scheduled, networks.size());
    }

    /** One SGD step at {@code rate} on every replica, with the scheme's reduction before or after it. */
    public void update(float rate) {
        steps++;
        if (reduction != null && scheme.reducesBeforeUpdate()) {
            reduction.average();
        }
        for (Network network : networks) {
            solver.update(network, rate, solverBatch);
        }
        if (reduction != null && scheme.reducesAfter(steps)) {
            reduction.average();
        }
    }

    /** One line for logs: the backend, and how many replicas in which scheme. */
    public String description() {
        String backend = primary().backend().description();
        return networks.size() == 1 ? backend : backend + "; " + networks.size() + " replicas, " + scheme.summary();
    }

    private List<Slab> slabs(Function<Network, List<Tensor>> tensors) {
        return networks.stream().map(network -> new Slab(network.backend(), tensors.apply(network))).toList();
    }

    /** Every value a weights file holds, rolling statistics included. */
    private static List<Tensor> everyValue(Network network) {
        List<Tensor> values = new ArrayList<>();
        for (Layer layer : network.layers()) {
            layer.parameters().stream().map(Parameter::value).forEach(values::add);
        }
        return values;
    }

    @Override
    public void close() {
        if (reduction != null) {
            reduction.close();
        }
        networks.forEach(Network::close);
    }
}
