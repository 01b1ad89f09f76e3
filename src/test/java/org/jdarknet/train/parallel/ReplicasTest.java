package org.jdarknet.train.parallel;

import static org.jdarknet.train.parallel.ReplicaFixture.BATCH_NORM;
import static org.jdarknet.train.parallel.ReplicaFixture.PLAIN;
import static org.jdarknet.train.parallel.ReplicaFixture.assertClose;
import static org.jdarknet.train.parallel.ReplicaFixture.assertSameChange;
import static org.jdarknet.train.parallel.ReplicaFixture.backends;
import static org.jdarknet.train.parallel.ReplicaFixture.batch;
import static org.jdarknet.train.parallel.ReplicaFixture.network;
import static org.jdarknet.train.parallel.ReplicaFixture.part;
import static org.jdarknet.train.parallel.ReplicaFixture.unprepared;
import static org.jdarknet.train.parallel.ReplicaFixture.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.jdarknet.backend.Backend;
import org.jdarknet.data.Batch;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;
import org.jdarknet.train.Solver;
import org.jdarknet.train.TrainingBackends;
import org.jdarknet.train.parallel.ReplicaFixture.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Data-parallel training against its definition: N replicas that each train on a shard of a
 * batch and average their gradients take the step one network takes on the whole batch, and
 * darknet's scheme is N independent trainings whose learned values are replaced by their mean
 * every 4 steps. The oracle is always single-network training on the same images.
 */
class ReplicasTest {
    private static final int STEPS = 3;
    private static final int PASSES = 2;
    private static final int MINI_BATCH = 12;
    private static final int BATCH = 24;
    private static final float RATE = 0.1f;
    /**
     * Relative to the largest change of a tensor (or the largest momentum). Replicas sum the same
     * gradient terms in another order (each shard's sum, then the shards' sum) and divide by N
     * where one network does not, which moves a float by rounding only; found on both backends:
     * within 2e-5 of the largest change and 4e-6 of the largest momentum.
     */
    private static final double TOLERANCE = 1e-4;
    /**
     * Absolute, for tensors whose change is rounding noise: the bias of a convolution followed by
     * a [batchnorm] layer has a zero gradient, which both sides compute as noise below 1e-6.
     */
    private static final double NOISE = 3e-6;

    @TempDir
    Path dir;

    static Stream<Arguments> backendsAndCounts() {
        return TrainingBackends.names().flatMap(name -> Stream.of(Arguments.of(name, 2), Arguments.of(name, 3)));
    }

    /** Without batch norm, the whole batch's gradient is the sum of the shards': the replicas are one network. */
    @ParameterizedTest(name = "{0}, {1} replicas")
    @MethodSource("backendsAndCounts")
    void allReduceTrainsAsOneNetworkOnTheWholeBatch(String backendName, int count) {
        compareWithOneNetwork(write(dir, "plain", PLAIN), backendName, count, false);
    }

    /**
     * With batch norm, each replica normalises with its shard's statistics; one network that
     * trains on the same shards one after another (more subdivisions) computes the same gradients.
     */
    @ParameterizedTest(name = "{0}, {1} replicas")
    @MethodSource("backendsAndCounts")
    void allReduceWithBatchNormTrainsAsOneNetworkOnTheSameShards(String backendName, int count) {
        compareWithOneNetwork(write(dir, "batchnorm", BATCH_NORM), backendName, count, true);
    }

    private void compareWithOneNetwork(Path cfg, String backendName, int count, boolean shardByShard) {
        int shard = MINI_BATCH / count;
        List<Backend> backends = backends(backendName, count + 1);
        List<Network> networks = unprepared(cfg, backends.subList(0, count), shard);
        try (Network single = network(cfg, backends.get(count), shardByShard ? shard : MINI_BATCH);
             Replicas replicas = new Replicas(networks, SyncScheme.ALLREDUCE, AllReduce.host())) {
            assertEquals(MINI_BATCH, replicas.loaderBatch());
            assertEquals(BATCH, replicas.imagesPerStep());
            Solver solver = new Solver(single.config().solver());
            SplittableRandom random = new SplittableRandom(5);
            for (int step = 1; step <= STEPS; step++) {
                String what = backendName + ", " + count + " replicas, step " + step;
                Snapshot before = Snapshot.of(single);
                float expectedCost = 0;
                float actualCost = 0;
                for (int pass = 0; pass < PASSES; pass++) {
                    Batch batch = batch(random, MINI_BATCH);
                    expectedCost += shardByShard ? trainShardByShard(single, batch, count) : train(single, batch);
                    actualCost += replicas.train(batch);
                }
                solver.update(single, RATE, BATCH);
                replicas.update(replicas.learningRate(RATE));
                assertEquals(expectedCost, actualCost, 1e-5 * Math.abs(expectedCost), what + ": cost");
                assertEquals(single.seen(), replicas.primary().seen(), what + ": images seen");
                Snapshot expected = Snapshot.of(single);
                Snapshot first = Snapshot.of(networks.get(0));
                double largestChange = 0;
                double largestMomentum = 0;
                for (int i = 0; i < expected.names().size(); i++) {
                    if (expected.kinds().get(i) == Parameter.Kind.STATISTIC) {
                        continue; // rolling statistics: see rollingStatisticsAreTheMeanOfTheShards
                    }
                    String name = what + ": " + expected.names().get(i);
                    double change = assertSameChange(before.values().get(i), expected.values().get(i),
                            first.values().get(i), TOLERANCE, NOISE, name);
                    double momentum = assertClose(expected.gradients().get(i), times(count, first.gradients().get(i)),
                            TOLERANCE, NOISE, name + " momentum (a replica's is 1/N of one network's)");
                    largestChange = Math.max(largestChange, change);
                    largestMomentum = Math.max(largestMomentum, momentum);
                }
                System.out.printf("%s: changes within %.1e, momentum within %.1e of each tensor's largest"
                        + " (tensors that are all rounding noise aside)%n", what, largestChange, largestMomentum);
                for (Network other : networks.subList(1, count)) {
                    Snapshot.of(other).assertIdentical(first, what + ", replica " + networks.indexOf(other));
                }
            }
        } finally {
            backends.forEach(Backend::close);
        }
    }

    /**
     * The replicas' rolling mean and variance after a step are the mean of what a network trained
     * on each shard alone holds (darknet does not average them; we do, so that replicas stay equal).
     */
    @ParameterizedTest(name = "{0}, {1} replicas")
    @MethodSource("backendsAndCounts")
    void rollingStatisticsAreTheMeanOfTheShards(String backendName, int count) {
        Path cfg = write(dir, "batchnorm", BATCH_NORM);
        int shard = MINI_BATCH / count;
        List<Backend> backends = backends(backendName, 2 * count);
        List<Network> networks = unprepared(cfg, backends.subList(0, count), shard);
        List<Network> alone = backends.subList(count, 2 * count).stream().map(b -> network(cfg, b, shard)).toList();
        try (Replicas replicas = new Replicas(networks, SyncScheme.ALLREDUCE, AllReduce.host())) {
            SplittableRandom random = new SplittableRandom(8);
            for (int pass = 0; pass < PASSES; pass++) {
                Batch batch = batch(random, MINI_BATCH);
                replicas.train(batch);
                for (int r = 0; r < count; r++) {
                    train(alone.get(r), part(batch, r * shard, shard));
                }
            }
            replicas.update(RATE);
            List<Snapshot> shards = alone.stream().map(Snapshot::of).toList();
            Snapshot actual = Snapshot.of(networks.get(0));
            int statistics = 0;
            for (int i = 0; i < actual.names().size(); i++) {
                if (actual.kinds().get(i) != Parameter.Kind.STATISTIC) {
                    continue;
                }
                statistics++;
                assertClose(mean(shards, i), actual.values().get(i), 1e-6, 0, backendName + ": " + actual.names().get(i));
            }
            assertEquals(6, statistics, "rolling mean and variance of three batch-norm layers");
        } finally {
            alone.forEach(Network::close);
            backends.forEach(Backend::close);
        }
    }

    /**
     * Darknet's scheme: each replica trains on a batch of its own at N times the rate, exactly as
     * an independent network would, until every 4th step replaces the weights, biases and scales
     * of all by their mean; momentum and rolling statistics stay each replica's own.
     */
    @ParameterizedTest(name = "{0}, {1} replicas")
    @MethodSource("backendsAndCounts")
    void darknetsSchemeAveragesLearnedValuesEveryFourSteps(String backendName, int count) {
        Path cfg = write(dir, "batchnorm", BATCH_NORM);
        List<Backend> backends = backends(backendName, 2 * count);
        List<Network> networks = unprepared(cfg, backends.subList(0, count), MINI_BATCH);
        List<Network> independent = backends.subList(count, 2 * count).stream().map(b -> network(cfg, b, MINI_BATCH)).toList();
        try (Replicas replicas = new Replicas(networks, SyncScheme.AVERAGE, AllReduce.host())) {
            assertEquals(MINI_BATCH * count, replicas.loaderBatch());
            assertEquals(BATCH * count, replicas.imagesPerStep());
            Solver solver = new Solver(networks.get(0).config().solver());
            SplittableRandom random = new SplittableRandom(9);
            for (int step = 1; step <= SyncScheme.AVERAGE_EVERY; step++) {
                for (int pass = 0; pass < PASSES; pass++) {
                    Batch batch = batch(random, MINI_BATCH * count);
                    replicas.train(batch);
                    for (int r = 0; r < count; r++) {
                        train(independent.get(r), part(batch, r * MINI_BATCH, MINI_BATCH));
                    }
                }
                float rate = replicas.learningRate(RATE);
                assertEquals(RATE * count, rate, "darknet multiplies the rate by the GPU count");
                replicas.update(rate);
                independent.forEach(network -> solver.update(network, rate, BATCH));
                if (step < SyncScheme.AVERAGE_EVERY) {
                    for (int r = 0; r < count; r++) {
                        Snapshot.of(networks.get(r)).assertIdentical(Snapshot.of(independent.get(r)),
                                backendName + ", step " + step + " (no sync yet), replica " + r);
                    }
                }
            }
            assertAveraged(networks, independent.stream().map(Snapshot::of).toList(), backendName);
        } finally {
            independent.forEach(Network::close);
            backends.forEach(Backend::close);
        }
    }

    private static void assertAveraged(List<Network> networks, List<Snapshot> independent, String what) {
        Snapshot first = Snapshot.of(networks.get(0));
        for (int r = 0; r < networks.size(); r++) {
            Snapshot replica = Snapshot.of(networks.get(r));
            for (int i = 0; i < replica.names().size(); i++) {
                String name = what + ", replica " + r + ": " + replica.names().get(i);
                if (replica.kinds().get(i) == Parameter.Kind.STATISTIC) {
                    assertArrayEquals(independent.get(r).values().get(i), replica.values().get(i), name + " (not averaged)");
                    continue;
                }
                assertArrayEquals(independent.get(r).gradients().get(i), replica.gradients().get(i),
                        name + " momentum (not averaged)");
                assertArrayEquals(first.values().get(i), replica.values().get(i), name + ": the same on every replica");
                assertClose(mean(independent, i), replica.values().get(i), 1e-6, 0, name + ": the mean");
            }
        }
    }

    @Test
    void anUnevenShareIsRefusedWithTheCfgInTheMessage() {
        Path cfg = write(dir, "plain", PLAIN);
        List<Backend> backends = backends("reference", 5);
        Network probe = Network.build(cfg, backends.get(0), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Replicas.build(cfg,
                probe.config(), backends, SyncScheme.ALLREDUCE, AllReduce.host(), network -> { }));
        probe.close();
        assertEquals(cfg + ": batch/subdivisions has 12 images, which 5 replicas cannot share evenly; make it a multiple"
                + " of 5", e.getMessage());
    }

    @Test
    void oneReplicaIsOneNetwork() {
        Path cfg = write(dir, "plain", PLAIN);
        try (Network single = network(cfg, TrainingBackends.create("reference"), MINI_BATCH);
             Replicas replicas = new Replicas(List.of(network(cfg, TrainingBackends.create("reference"), MINI_BATCH)),
                     SyncScheme.AVERAGE, AllReduce.host())) {
            assertEquals(RATE, replicas.learningRate(RATE));
            SplittableRandom random = new SplittableRandom(2);
            Solver solver = new Solver(single.config().solver());
            for (int pass = 0; pass < PASSES; pass++) {
                Batch batch = batch(random, MINI_BATCH);
                assertEquals(train(single, batch), replicas.train(batch));
            }
            solver.update(single, RATE, BATCH);
            replicas.update(RATE);
            Snapshot.of(replicas.primary()).assertIdentical(Snapshot.of(single), "one replica");
            assertEquals(single.backend().description(), replicas.description());
        }
    }

    private static float train(Network network, Batch batch) {
        return network.train(batch.images(), batch.truth());
    }

    private static float trainShardByShard(Network network, Batch batch, int count) {
        int shard = batch.size() / count;
        float cost = 0;
        for (int r = 0; r < count; r++) {
            cost += train(network, part(batch, r * shard, shard));
        }
        return cost;
    }

    private static float[] times(int factor, float[] values) {
        float[] result = values.clone();
        for (int i = 0; i < result.length; i++) {
            result[i] *= factor;
        }
        return result;
    }

    private static float[] mean(List<Snapshot> snapshots, int tensor) {
        float[] mean = new float[snapshots.get(0).values().get(tensor).length];
        for (int j = 0; j < mean.length; j++) {
            double sum = 0;
            for (Snapshot one : snapshots) {
                sum += one.values().get(tensor)[j];
            }
            mean[j] = (float) (sum / snapshots.size());
        }
        return mean;
    }
}
