package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.List;
import org.jdarknet.Log;
import org.jdarknet.UsageException;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Precision;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.calibration.CalibrationImages;
import org.jdarknet.calibration.Calibrator;
import org.jdarknet.image.Preprocessing;
import picocli.CommandLine.Option;

/**
 * {@code --precision}, {@code --calibration} and {@code --calibrate}, shared by the commands that
 * classify: the arithmetic of the backend, and for int8 the activation ranges it quantises with.
 */
final class PrecisionOptions {
    @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32",
            description = "Arithmetic: fp32 (darknet's), bf16 or int8 (the cpu backend; int8 needs --calibration "
                    + "or --calibrate; the classifier head stays fp32). Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--calibration", paramLabel = "FILE",
            description = "int8's activation ranges, as 'jdarknet calibrate' writes them.")
    Path calibrationFile;

    @Option(names = "--calibrate", paramLabel = "LIST|DIR",
            description = "Measure int8's activation ranges first, on the images of LIST (one path a line) or below DIR.")
    Path calibrationImages;

    /** The precision asked for, the calibration options checked against it (before anything is loaded). */
    Precision precision() {
        Precision parsed = Precision.parse(precision);
        boolean calibrated = calibrationFile != null || calibrationImages != null;
        if (calibrationFile != null && calibrationImages != null) {
            throw new UsageException("--calibration FILE and --calibrate LIST|DIR: give one of them");
        }
        if (parsed == Precision.INT8 && !calibrated) {
            throw new UsageException("--precision int8 needs a calibration: --calibration FILE or --calibrate LIST|DIR");
        }
        if (parsed != Precision.INT8 && calibrated) {
            Log.warn("a calibration is used by --precision int8 only; " + parsed.label() + " ignores it");
        }
        Log.detail("precision: " + parsed.label());
        return parsed;
    }

    /**
     * What int8 quantises with: the {@code --calibration} file, or ranges measured now with
     * {@code cfg} and {@code weights} on an fp32 backend of {@code backendOptions}, each image made
     * the network's input by {@code preprocessing} and refused above {@code maxPixels} (as the
     * command's own images are). Null for the other precisions.
     *
     * @param precision what {@link #precision()} returned
     */
    Calibration calibration(Precision precision, Path cfg, Path weights, BackendOptions backendOptions,
                            Preprocessing preprocessing, long maxPixels) {
        if (precision != Precision.INT8) {
            return null;
        }
        if (calibrationFile != null) {
            Calibration calibration = Calibration.read(calibrationFile);
            Log.detail("int8 ranges from " + calibrationFile + " (" + calibration.images() + " images)");
            return calibration;
        }
        List<Path> images = CalibrationImages.of(List.of(calibrationImages));
        try (Backend fp32 = backendOptions.create(Precision.FP32)) {
            return Calibrator.calibrate(cfg, weights, fp32, images, preprocessing, maxPixels);
        }
    }
}
