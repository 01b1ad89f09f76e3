package org.jdarknet.layers;

import org.jdarknet.Log;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.cfg.CfgSection;

/**
 * {@code [crop]}: a {@code crop_width}×{@code crop_height} window of the image, mapped from [0,1]
 * to [-1,1] (unless {@code noadjust=1}). At inference the window is centred; training picks it at
 * random and may mirror it.
 */
public final class CropLayer extends AbstractLayer {
    private final float scale;
    private final float shift;
    private final boolean flip;

    private CropLayer(BuildContext context, Shape output, boolean noAdjust, boolean flip, LayerOptions options) {
        super(context, output, options);
        this.flip = flip;
        this.scale = noAdjust ? 1 : 2;
        this.shift = noAdjust ? 0 : -1;
    }

    public static CropLayer parse(CfgSection section, BuildContext context) {
        Shape input = context.input();
        int height = section.getInt("crop_height", 1);
        int width = section.getInt("crop_width", 1);
        ConvolutionalLayer.requirePositive(section, "crop_height", height);
        ConvolutionalLayer.requirePositive(section, "crop_width", width);
        if (height > input.h() || width > input.w()) {
            throw section.error("crop_width", "a " + width + "x" + height + " crop does not fit the "
                    + input.w() + "x" + input.h() + " input");
        }
        boolean flip = section.getFlag("flip", false);
        warnIfSet(section, "angle", 0);
        warnIfSet(section, "saturation", 1);
        warnIfSet(section, "exposure", 1);
        warnIfSet(section, "shift", 0);
        boolean noAdjust = section.getFlag("noadjust", false);
        Shape output = new Shape(input.n(), input.c(), height, width);
        return new CropLayer(context, output, noAdjust, flip, LayerOptions.parse(section));
    }

    /** Darknet's CPU crop layer reads these keys but never uses them; we say so rather than stay silent. */
    private static void warnIfSet(CfgSection section, String key, float neutral) {
        if (section.getFloat(key, neutral) != neutral) {
            Log.warn(section.error(key, "has no effect in [crop] (as in darknet's CPU code); ignored").getMessage());
        }
    }

    /** What each value is multiplied by after cropping: 2, or 1 with {@code noadjust=1}. */
    public float scale() {
        return scale;
    }

    /** What is added after the scaling: -1, or 0 with {@code noadjust=1}. */
    public float shift() {
        return shift;
    }

    /** The first row of the window inference takes: the centred one. */
    public int inferenceTop() {
        return (inputShape().h() - outputShape().h()) / 2;
    }

    /** The first column of the window inference takes. */
    public int inferenceLeft() {
        return (inputShape().w() - outputShape().w()) / 2;
    }

    @Override
    public String kind() {
        return "crop";
    }

    @Override
    public void forward(Tensor input) {
        backend.crop(input, inferenceTop(), inferenceLeft(), false, scale, shift, output());
    }

    /** A random window for the whole batch, mirrored half the time when {@code flip=1}, as darknet does. */
    @Override
    public void forwardTraining(Tensor input, TrainingPass pass) {
        int top = pass.random().nextInt(inputShape().h() - outputShape().h() + 1);
        int left = pass.random().nextInt(inputShape().w() - outputShape().w() + 1);
        boolean mirror = flip && pass.random().nextBoolean();
        backend.crop(input, top, left, mirror, scale, shift, output());
    }

    /** Darknet does not propagate through a crop (it is meant to be the first layer). */
    @Override
    public void backward(Tensor input, Tensor inputDelta) {
    }

    @Override
    public String summary() {
        return String.format("crop                    %s   ->  %s", whc(inputShape()), whc(outputShape()));
    }
}
