package org.jdarknet.cli;

import java.nio.file.Path;
import org.jdarknet.Log;
import org.jdarknet.cfg.CfgParser;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.net.NetConfig;

/**
 * The network's input for an image file, made by a decoder thread while the network is still
 * being built: the input's size is the cfg's {@code [net]} width and height, read here as
 * {@code Network.build} reads them, so the result is the one {@code Classifier.input} gives. The
 * first images are then letterboxed beside the loading, not on the main thread after it, where
 * that code would run in the interpreter on the critical path (about 15 ms of a one-image
 * {@code classify} of dog.jpg, docs/benchmarks.md). Declines (null) when the cfg cannot be read:
 * building the network then says why, and the image is prepared once the network is known.
 */
final class EarlyInputs implements DecodeAhead.InputFromFile {
    private final Path cfg;
    private final Preprocessing preprocessing;
    private NetConfig net;
    private boolean unreadable;

    EarlyInputs(Path cfg, Preprocessing preprocessing) {
        this.cfg = cfg;
        this.preprocessing = preprocessing;
    }

    @Override
    public float[] apply(Path image, long maxPixels) {
        NetConfig size = net();
        return size == null ? null
                : ImageLoader.loadPrepared(image, maxPixels, preprocessing, size.width(), size.height()).data();
    }

    /** The cfg's {@code [net]}, read once; its warnings are left to the network's build. */
    private synchronized NetConfig net() {
        if (net == null && !unreadable) {
            try {
                Log.withoutWarnings(() -> net = NetConfig.parse(NetConfig.section(CfgParser.parseSections(cfg))));
            } catch (RuntimeException e) {
                unreadable = true;
            }
        }
        return net;
    }
}
