package org.jdarknet.layers;

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

    private CropLayer(BuildContext context, Shape output, boolean noAdjust, LayerOptions options) {
        super(context, output, options);
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
        section.getFlag("flip", false);
        section.getFloat("angle", 0);
        section.getFloat("saturation", 1);
        section.getFloat("exposure", 1);
        section.getFloat("shift", 0);
        boolean noAdjust = section.getFlag("noadjust", false);
        Shape output = new Shape(input.n(), input.c(), height, width);
        return new CropLayer(context, output, noAdjust, LayerOptions.parse(section));
    }

    @Override
    public String kind() {
        return "crop";
    }

    @Override
    public void forward(Tensor input) {
        int top = (inputShape().h() - outputShape().h()) / 2;
        int left = (inputShape().w() - outputShape().w()) / 2;
        backend.crop(input, top, left, false, scale, shift, output());
    }

    @Override
    public String summary() {
        return String.format("crop                    %s   ->  %s", whc(inputShape()), whc(outputShape()));
    }
}
