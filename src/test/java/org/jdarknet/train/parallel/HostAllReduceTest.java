package org.jdarknet.train.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.train.TrainingBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The host all-reduce: the element-wise mean of every replica's slab, the same bits on each; broadcast copies replica 0. */
class HostAllReduceTest {
    private static final List<Shape> SHAPES = List.of(new Shape(1, 1, 1, 5), new Shape(4, 3, 3, 3), new Shape(1, 1, 1, 1));

    static List<String> backends() {
        return TrainingBackends.names().toList();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void averageIsTheMeanOnEveryReplica(String name) {
        for (int count : new int[] {2, 3, 4}) {
            List<Backend> backends = ReplicaFixture.backends(name, count);
            List<Slab> slabs = slabs(backends, new SplittableRandom(count));
            List<List<float[]>> before = values(slabs);
            try (AllReduce reduction = AllReduce.host().over(slabs)) {
                reduction.average();
            }
            List<List<float[]>> after = values(slabs);
            for (int t = 0; t < SHAPES.size(); t++) {
                for (int i = 0; i < SHAPES.get(t).size(); i++) {
                    double sum = 0;
                    for (List<float[]> replica : before) {
                        sum += replica.get(t)[i];
                    }
                    float mean = (float) (sum / count);
                    assertEquals(mean, after.get(0).get(t)[i], bound(count, mean), name + ", " + count + " replicas, tensor " + t);
                }
                for (List<float[]> replica : after) {
                    assertArrayEquals(after.get(0).get(t), replica.get(t), "every replica holds the same floats");
                }
            }
            backends.forEach(Backend::close);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void broadcastCopiesReplicaZero(String name) {
        List<Backend> backends = ReplicaFixture.backends(name, 3);
        List<Slab> slabs = slabs(backends, new SplittableRandom(7));
        List<float[]> first = values(slabs).get(0);
        AllReduce.host().over(slabs).broadcast();
        for (List<float[]> replica : values(slabs)) {
            for (int t = 0; t < SHAPES.size(); t++) {
                assertArrayEquals(first.get(t), replica.get(t));
            }
        }
        backends.forEach(Backend::close);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void slabsOfDifferentLayoutsAreRefused(String name) {
        List<Backend> backends = ReplicaFixture.backends(name, 2);
        List<Slab> slabs = List.of(new Slab(backends.get(0), List.of(backends.get(0).allocateParameter(SHAPES.get(0)))),
                new Slab(backends.get(1), List.of(backends.get(1).allocateParameter(SHAPES.get(1)))));
        assertThrows(IllegalArgumentException.class, () -> AllReduce.host().over(slabs));
        backends.forEach(Backend::close);
    }

    @Test
    void noReplicasAtAllAreRefused() {
        assertEquals("an all-reduce needs at least one replica",
                assertThrows(IllegalArgumentException.class, () -> AllReduce.host().over(List.of())).getMessage());
    }

    /**
     * Summing values in [-1, 1] in float, each of the {@code count - 1} additions is off by at most
     * half an ulp of a partial sum (below {@code count}), the division by half an ulp of the mean.
     */
    private static double bound(int count, float mean) {
        return (count - 1) * Math.ulp((float) count) / 2 / count + Math.ulp(mean) / 2;
    }

    private static List<Slab> slabs(List<Backend> backends, SplittableRandom random) {
        List<Slab> slabs = new ArrayList<>();
        for (Backend backend : backends) {
            List<Tensor> tensors = new ArrayList<>();
            for (Shape shape : SHAPES) {
                Tensor tensor = backend.allocateParameter(shape);
                float[] values = new float[shape.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextDouble() * 2 - 1);
                }
                backend.upload(values, tensor);
                tensors.add(tensor);
            }
            slabs.add(new Slab(backend, tensors));
        }
        return slabs;
    }

    private static List<List<float[]>> values(List<Slab> slabs) {
        return slabs.stream().map(slab -> slab.tensors().stream().map(slab.backend()::download).toList()).toList();
    }
}
