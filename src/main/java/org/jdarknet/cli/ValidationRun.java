package org.jdarknet.cli;

import java.nio.file.Path;
import org.jdarknet.backend.Backend;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.cfg.CfgException;
import org.jdarknet.data.Dataset;
import org.jdarknet.data.ImageTransform;
import org.jdarknet.data.LoaderOptions;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.net.Network;
import org.jdarknet.train.Evaluation;
import org.jdarknet.train.Validator;
import org.jdarknet.weights.WeightsReader;

/** What both validation commands do: load the weights, classify the centre crop of every image as darknet validates, count. */
final class ValidationRun {
    /** How many of the most frequent confusions the summary lists. */
    static final int CONFUSIONS_SHOWN = 10;
    /** How darknet's validation makes each image the network's input (and so how a calibration for it does). */
    static final Preprocessing PREPROCESSING = Preprocessing.CENTER_CROP;

    private ValidationRun() {
    }

    /** @param calibration the ranges an int8 backend quantises with; null: none */
    static Evaluation evaluate(Path cfg, Path weights, Calibration calibration, Dataset dataset, int top, Backend backend,
                               Validator.ImageResult each) {
        try (Network network = Network.build(cfg, backend, 1, calibration)) {
            WeightsReader.load(network, weights);
            requireOutputsCoverClasses(cfg, network, dataset);
            ImageTransform crop = ImageTransform.of(PREPROCESSING, network.config().width(),
                    network.config().height());
            return new Validator(network, dataset, crop, LoaderOptions.defaults()).run(top, each);
        }
    }

    /** An output beyond the classes could be nobody's answer; the accuracy tables have no row for it. */
    private static void requireOutputsCoverClasses(Path cfg, Network network, Dataset dataset) {
        int outputs = network.outputLayer().outputShape().itemSize();
        if (outputs > dataset.classCount()) {
            throw new CfgException(cfg, "the network has " + outputs + " outputs but " + dataset.source()
                    + " is classified into " + dataset.classCount() + " classes; give the class list it was trained with");
        }
    }
}
