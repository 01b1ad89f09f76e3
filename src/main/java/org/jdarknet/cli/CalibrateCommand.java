package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jdarknet.Log;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Precision;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.calibration.CalibrationImages;
import org.jdarknet.calibration.Calibrator;
import org.jdarknet.image.Preprocessing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jdarknet calibrate CFG WEIGHTS (IMAGE... | LIST | DIR) --out FILE}: int8's activation ranges. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Runs the images through the network in fp32 and writes the largest |value|",
                "of its input and of every layer's output: the ranges that --precision int8",
                "quantises with (--calibration FILE), and of every convolution's output before",
                "its activation, which export --precision int8 quantises too. Give images, one",
                "LIST of image paths (one a line) or one DIR (every image below it). A few",
                "hundred images like those to be classified are plenty."})
final class CalibrateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CFG", description = "Network description (.cfg).")
    Path cfg;

    @Parameters(index = "1", paramLabel = "WEIGHTS", description = "Darknet weights file.")
    Path weights;

    @Parameters(index = "2..*", arity = "1..*", paramLabel = "IMAGE|LIST|DIR",
            description = "Calibration images, a list of them, or a folder.")
    List<Path> images = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "Where to write the ranges.")
    Path out;

    @Option(names = "--preprocess", paramLabel = "MODE", defaultValue = "letterbox",
            description = "How images become the network's input, as the command to be calibrated for makes them: "
                    + "letterbox (classify's), resize, resize-min-crop, center-crop (classifier valid's). "
                    + "Default: letterbox.")
    String preprocess;

    @Mixin
    ImageOptions imageOptions;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() {
        Preprocessing preprocessing = Preprocessing.byName(preprocess);
        long maxPixels = imageOptions.maxPixels();
        List<Path> paths = CalibrationImages.of(images);
        try (Backend backend = backendOptions.create(Precision.FP32)) {
            Calibration calibration = Calibrator.calibrate(cfg, weights, backend, paths, preprocessing, maxPixels);
            calibration.write(out);
            Log.info(out + ": the ranges of " + calibration.layers().size() + " layers over " + calibration.images()
                    + " images");
        }
        return 0;
    }
}
