package org.jdarknet.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jdarknet.net.Network;
import org.jdarknet.train.Initializer;
import org.jdarknet.train.Solver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays flat over thousands of training iterations, on the backend's first variant: after
 * the first step, no step allocates a tensor (checked by counting the backend's allocations
 * through a proxy), and the Java heap after a full collection does not grow.
 */
public abstract class TrainingMemoryConformance extends BackendConformance {
    private static final int ITERATIONS = 3000;

    @TempDir
    Path dir;

    @Test
    void trainingStepsAllocateNothing() throws Exception {
        AtomicLong allocations = new AtomicLong();
        trainCounting(countingAllocations(pairs.get(0).tested, allocations), allocations);
    }

    private void trainCounting(Backend counting, AtomicLong allocations) throws Exception {
        Path cfg = dir.resolve("small.cfg");
        Files.writeString(cfg, "[net]\nbatch=4\nwidth=8\nheight=8\nchannels=3\nlearning_rate=0.01\n"
                + "[convolutional]\nbatch_normalize=1\nfilters=4\nsize=3\npad=1\nactivation=mish\n[maxpool]\nsize=2\nstride=2\n"
                + "[dropout]\nprobability=0.2\n[connected]\noutput=3\nactivation=linear\n[softmax]\n");
        try (Network network = Network.buildForTraining(cfg, counting, 4)) {
            Initializer.initialize(network, 1);
            Solver solver = new Solver(network.config().solver());
            SplittableRandom random = new SplittableRandom(2);
            float[] images = new float[network.inputShape().size()];
            float[] truth = new float[12];
            step(network, solver, random, images, truth);
            long built = allocations.get();
            long heapAfterFirst = usedHeapAfterGc();
            for (int i = 1; i < ITERATIONS; i++) {
                step(network, solver, random, images, truth);
            }
            assertEquals(built, allocations.get(), pairs.get(0).name() + ": tensors allocated during " + ITERATIONS
                    + " iterations");
            long growth = usedHeapAfterGc() - heapAfterFirst;
            assertTrue(growth < 8L << 20, "heap grew by " + growth + " bytes over " + ITERATIONS + " iterations");
        }
    }

    private static void step(Network network, Solver solver, SplittableRandom random, float[] images, float[] truth) {
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextDouble();
        }
        java.util.Arrays.fill(truth, 0);
        for (int b = 0; b < 4; b++) {
            truth[b * 3 + random.nextInt(3)] = 1;
        }
        network.train(images, truth);
        solver.update(network, 0.01f, 4);
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** The backend, with every allocate/allocateParameter call counted. */
    private static Backend countingAllocations(Backend backend, AtomicLong count) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("allocate")) {
                        count.incrementAndGet();
                    }
                    try {
                        return method.invoke(backend, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
