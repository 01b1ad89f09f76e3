package org.jdarknet.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.net.Network;

/**
 * Regenerates the committed goldens in {@code src/test/resources/goldens} from the oracles: the C
 * darknet (through {@code scripts/oracle/darknet-layers.c}) for the models it runs, our float64
 * numpy reference ({@code scripts/oracle/numpy-reference.py}) for CSPDarknet53, which needs mish.
 * Run by {@code scripts/oracle/make-goldens.sh}; the tests only read what it wrote.
 */
public final class GoldenWriter {
    static final Path DIRECTORY = Path.of("src/test/resources/goldens");
    static final String IMAGE = "dog.jpg";
    static final List<String> NUMPY_MODELS = List.of("cspdarknet53");

    private GoldenWriter() {
    }

    static List<String> models() {
        List<String> models = new ArrayList<>(TestModels.DARKNET_RUNNABLE);
        models.addAll(NUMPY_MODELS);
        return models;
    }

    public static void main(String[] args) throws Exception {
        Files.createDirectories(DIRECTORY);
        for (String model : args.length > 0 ? List.of(args) : models()) {
            Golden golden = NUMPY_MODELS.contains(model) ? fromNumpy(model) : fromDarknet(model);
            golden.write(DIRECTORY.resolve(model + ".golden"));
            System.err.println("wrote " + model + ".golden (" + golden.layers().size() + " layers)");
        }
    }

    private static Golden fromDarknet(String model) throws Exception {
        Path dump = TestModels.workDirectory().resolve(model + "-darknet");
        Darknet.dumpLayers(TestModels.cfg(model), TestModels.randomWeights(model), TestModels.image(IMAGE), dump);
        float[] input = RawFloats.read(dump.resolve("input.f32"));
        List<Golden.LayerSummary> layers = new ArrayList<>();
        for (int i = 0; Files.exists(dump.resolve(String.format("layer_%03d.f32", i))); i++) {
            layers.add(Golden.LayerSummary.of(i, Golden.widen(RawFloats.read(dump.resolve(String.format("layer_%03d.f32", i))))));
        }
        double[] output = Golden.widen(RawFloats.read(dump.resolve("output.f32")));
        return new Golden(header(model, "darknet (libdarknet.so, Debian package darknet)", input), layers, output, true);
    }

    private static Golden fromNumpy(String model) throws Exception {
        Path work = Files.createDirectories(TestModels.workDirectory().resolve(model + "-numpy"));
        float[] input;
        try (Network network = Network.build(TestModels.cfg(model), new ReferenceBackend(), 1)) {
            input = Preprocessing.LETTERBOX.apply(ImageLoader.load(TestModels.image(IMAGE)),
                    network.config().width(), network.config().height()).data();
        }
        ByteBuffer bytes = ByteBuffer.allocate(4 * input.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(input);
        Files.write(work.resolve("input.f32"), bytes.array());
        Process process = new ProcessBuilder("python3", "scripts/oracle/numpy-reference.py", TestModels.cfg(model).toString(),
                TestModels.randomWeights(model).toString(), work.resolve("input.f32").toString(), work.toString())
                .inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("numpy-reference.py failed for " + model);
        }
        List<Golden.LayerSummary> layers = new ArrayList<>();
        for (int i = 0; Files.exists(work.resolve(String.format("layer_%03d.f64", i))); i++) {
            layers.add(Golden.LayerSummary.of(i, readDoubles(work.resolve(String.format("layer_%03d.f64", i)))));
        }
        return new Golden(header(model, "numpy-float64 (scripts/oracle/numpy-reference.py)", input), layers,
                readDoubles(work.resolve("output.f64")), false);
    }

    private static Map<String, String> header(String model, String oracle, float[] input) throws Exception {
        Map<String, String> header = new LinkedHashMap<>();
        header.put("model", model);
        header.put("oracle", oracle);
        header.put("seed", Long.toString(TestModels.SEED));
        header.put("image", IMAGE);
        header.put("weights-sha256", Golden.sha256(Files.readAllBytes(TestModels.randomWeights(model))));
        header.put("input-sha256", Golden.sha256(input));
        return header;
    }

    private static double[] readDoubles(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        double[] values = new double[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
        return values;
    }
}
