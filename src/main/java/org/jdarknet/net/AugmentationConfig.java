package org.jdarknet.net;

import org.jdarknet.cfg.CfgSection;

/**
 * Darknet's classifier data augmentation from {@code [net]}. Crops are side lengths in pixels
 * ({@code min_crop} defaults to the width, {@code max_crop} to twice it); {@code center=1} turns
 * random crops into centred ones.
 */
public record AugmentationConfig(int minCrop, int maxCrop, float aspect, float angle, float hue,
                                 float saturation, float exposure, boolean center, boolean flip) {

    static AugmentationConfig parse(CfgSection net, int width) {
        int maxCrop = net.getInt("max_crop", width * 2);
        int minCrop = net.getInt("min_crop", width);
        if (minCrop < 1 || maxCrop < minCrop) {
            throw net.error("max_crop", "need 1 <= min_crop (" + minCrop + ") <= max_crop (" + maxCrop + ")");
        }
        return new AugmentationConfig(minCrop, maxCrop,
                net.getFloat("aspect", 1), net.getFloat("angle", 0), net.getFloat("hue", 0),
                net.getFloat("saturation", 1), net.getFloat("exposure", 1),
                net.getFlag("center", false), net.getFlag("flip", true));
    }
}
