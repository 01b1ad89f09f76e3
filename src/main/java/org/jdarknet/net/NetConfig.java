package org.jdarknet.net;

import java.util.List;
import org.jdarknet.Text;
import org.jdarknet.backend.BatchNormStyle;
import org.jdarknet.cfg.CfgSection;

/**
 * The {@code [net]} section: input size, batching, which fork's batch-norm arithmetic the weights
 * expect, and the training settings.
 *
 * @param batch        images per weight update ({@code batch=})
 * @param subdivisions the batch is processed in this many pieces ({@code batch/subdivisions} at a time)
 */
public record NetConfig(int width, int height, int channels, int batch, int subdivisions,
                        BatchNormStyle batchNormStyle, SolverConfig solver, AugmentationConfig augmentation) {

    /** A cfg's first section, which must be {@code [net]} (or {@code [network]}). */
    public static CfgSection section(List<CfgSection> sections) {
        CfgSection first = sections.get(0);
        if (!first.type().equals("net")) {
            throw first.error("the first section must be [net] (or [network])");
        }
        return first;
    }

    public static NetConfig parse(CfgSection net) {
        int width = net.getInt("width", 0);
        int height = net.getInt("height", 0);
        int channels = net.getInt("channels", 0);
        if (width < 1 || height < 1 || channels < 1) {
            String key = width < 1 ? "width" : height < 1 ? "height" : "channels";
            throw net.error(key, "[net] needs positive width, height and channels (found "
                    + width + "x" + height + "x" + channels + ")");
        }
        int batch = net.getInt("batch", 1);
        int subdivisions = net.getInt("subdivisions", 1);
        if (batch < 1 || subdivisions < 1 || batch % subdivisions != 0) {
            throw net.error("subdivisions", "batch=" + batch + " must be a positive multiple of subdivisions=" + subdivisions);
        }
        return new NetConfig(width, height, channels, batch, subdivisions, batchNormStyle(net),
                SolverConfig.parse(net), AugmentationConfig.parse(net, width));
    }

    private static BatchNormStyle batchNormStyle(CfgSection net) {
        String name = net.getString("batchnorm_style", "pjreddie");
        return switch (name) {
            case "pjreddie" -> BatchNormStyle.PJREDDIE;
            case "alexeyab" -> BatchNormStyle.ALEXEYAB;
            default -> throw net.error("batchnorm_style", "expected pjreddie or alexeyab, found '" + Text.excerpt(name) + "'");
        };
    }

    /** Images per forward pass: {@code batch/subdivisions}. */
    public int miniBatch() {
        return batch / subdivisions;
    }
}
