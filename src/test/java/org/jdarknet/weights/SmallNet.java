package org.jdarknet.weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;

/**
 * {@code src/test/resources/cfg/small.cfg} and its weights-file layout, stated by hand from the cfg
 * and darknet's parser.c rather than taken from our reader: conv: biases, [scales, rolling mean,
 * rolling variance], weights; batchnorm: scales, rolling mean, rolling variance; connected:
 * biases, weights (outputs x inputs), [scales, rolling mean, rolling variance].
 */
public final class SmallNet {
    public static final Path CFG = Path.of("src/test/resources/cfg/small.cfg");

    /** One stored tensor: layer index, darknet's name, and rows x columns (1 x n for vectors). */
    public record Tensor(int layer, String name, int rows, int columns) {
        public int count() {
            return rows * columns;
        }
    }

    public static final List<Tensor> LAYOUT = List.of(
            vector(0, "biases", 4), vector(0, "scales", 4), vector(0, "rolling_mean", 4),
            vector(0, "rolling_variance", 4), new Tensor(0, "weights", 4, 3 * 3 * 3),
            vector(2, "biases", 2), new Tensor(2, "weights", 2, 4),
            vector(3, "scales", 2), vector(3, "rolling_mean", 2), vector(3, "rolling_variance", 2),
            vector(4, "biases", 5), new Tensor(4, "weights", 5, 18),
            vector(4, "scales", 5), vector(4, "rolling_mean", 5), vector(4, "rolling_variance", 5),
            vector(5, "biases", 8), new Tensor(5, "weights", 8, 5));

    /** Bytes of a complete file with a 64-bit {@code seen}: 20 + 4 * 298. */
    public static final int FILE_SIZE = 1212;

    private SmallNet() {
    }

    public static Network build() {
        return build(CFG);
    }

    public static Network build(Path cfg) {
        return Network.build(cfg, new ReferenceBackend(), 1);
    }

    /** The values 1, 2, 3, ... in file order, so that each tensor's slice says where it was read from. */
    public static Map<Tensor, float[]> sequential() {
        Map<Tensor, float[]> values = new LinkedHashMap<>();
        int next = 1;
        for (Tensor tensor : LAYOUT) {
            float[] slice = new float[tensor.count()];
            for (int i = 0; i < slice.length; i++) {
                slice[i] = next++;
            }
            values.put(tensor, slice);
        }
        return values;
    }

    /** Seeded values in [-1, 1]; variances in [0.5, 1.5]. */
    public static Map<Tensor, float[]> random(long seed) {
        Random random = new Random(seed);
        Map<Tensor, float[]> values = new LinkedHashMap<>();
        for (Tensor tensor : LAYOUT) {
            float[] slice = new float[tensor.count()];
            boolean variance = tensor.name().equals("rolling_variance");
            for (int i = 0; i < slice.length; i++) {
                slice[i] = variance ? 0.5f + random.nextFloat() : 2 * random.nextFloat() - 1;
            }
            values.put(tensor, slice);
        }
        return values;
    }

    /** Appends {@code values} in file order, each tensor passed through {@code stored} first. */
    public static WeightsFile append(WeightsFile file, Map<Tensor, float[]> values,
                                     BiFunction<Tensor, float[], float[]> stored) {
        values.forEach((tensor, slice) -> file.floats(stored.apply(tensor, slice)));
        return file;
    }

    public static WeightsFile append(WeightsFile file, Map<Tensor, float[]> values) {
        return append(file, values, (tensor, slice) -> slice);
    }

    /** A rows x columns matrix, row-major, as columns x rows. */
    public static float[] transpose(float[] matrix, int rows, int columns) {
        float[] result = new float[matrix.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                result[c * rows + r] = matrix[r * columns + c];
            }
        }
        return result;
    }

    /** The values a network holds for one stored tensor. */
    public static float[] loaded(Network network, Tensor tensor) {
        return network.backend().download(parameter(network, tensor.layer(), tensor.name()).value());
    }

    public static Parameter parameter(Network network, int layer, String name) {
        return network.layers().get(layer).parameters().stream()
                .filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("layer " + layer + " has no " + name));
    }

    /** Every stored tensor of {@code network}, in LAYOUT order. */
    public static List<float[]> allLoaded(Network network) {
        List<float[]> result = new ArrayList<>();
        for (Tensor tensor : LAYOUT) {
            result.add(loaded(network, tensor));
        }
        return result;
    }

    private static Tensor vector(int layer, String name, int count) {
        return new Tensor(layer, name, 1, count);
    }
}
