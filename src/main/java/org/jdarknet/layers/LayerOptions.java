package org.jdarknet.layers;

import org.jdarknet.cfg.CfgSection;

/**
 * Keys darknet accepts in every layer section.
 *
 * @param learningRateScale {@code learning_rate}: multiplies the solver's rate for this layer
 * @param dontLoad          {@code dontload}: the weights file has nothing for this layer
 * @param dontSave          {@code dontsave}: nothing is written for this layer
 * @param dontLoadScales    {@code dontloadscales}: the file lacks this layer's batch-norm values
 * @param stopBackward      {@code stopbackward}: training does not propagate below this layer
 */
public record LayerOptions(float learningRateScale, boolean dontLoad, boolean dontSave,
                           boolean dontLoadScales, boolean stopBackward) {

    public static final LayerOptions DEFAULT = new LayerOptions(1, false, false, false, false);

    public static LayerOptions parse(CfgSection section) {
        return new LayerOptions(
                section.getFloat("learning_rate", 1),
                section.getFlag("dontload", false),
                section.getFlag("dontsave", false),
                section.getFlag("dontloadscales", false),
                section.getFlag("stopbackward", false));
    }
}
