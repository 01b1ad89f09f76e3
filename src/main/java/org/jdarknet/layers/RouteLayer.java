package org.jdarknet.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.cfg.CfgSection;

/**
 * {@code [route]}: the outputs of the listed layers, concatenated along the channels in the order
 * given. All of them must have the same width and height (darknet would silently produce an
 * empty shape and fail later). A source that the network placed in its channel range of this
 * route's output ({@link OutputPlacement}) has already written its values there; only the others
 * are copied.
 */
public final class RouteLayer extends AbstractLayer {
    private final List<Layer> sources;
    private final List<Layer> copied;

    private RouteLayer(BuildContext context, List<Layer> sources, Shape output, LayerOptions options) {
        super(context, output, options);
        this.sources = sources;
        this.copied = sources.stream().filter(source -> !context.placement().placedIn(source.index(), index())).toList();
    }

    public static RouteLayer parse(CfgSection section, BuildContext context) {
        int[] references = section.getIntList("layers");
        if (references.length == 0) {
            throw section.error("layers", "[route] needs layers=<layer>[,<layer>...]");
        }
        List<Layer> sources = new ArrayList<>();
        for (int reference : references) {
            sources.add(context.reference(section, "layers", reference));
        }
        Shape first = sources.get(0).outputShape();
        int channels = 0;
        for (Layer source : sources) {
            Shape shape = source.outputShape();
            if (shape.w() != first.w() || shape.h() != first.h()) {
                throw section.error("layers", "layer " + source.index() + " is " + shape.w() + "x" + shape.h()
                        + " but layer " + sources.get(0).index() + " is " + first.w() + "x" + first.h()
                        + "; routed layers must have the same width and height");
            }
            channels += shape.c();
        }
        Shape output = new Shape(first.n(), channels, first.h(), first.w());
        return new RouteLayer(context, List.copyOf(sources), output, LayerOptions.parse(section));
    }

    /** The layers concatenated, in order. */
    public List<Layer> sources() {
        return sources;
    }

    @Override
    public String kind() {
        return "route";
    }

    @Override
    public void forward(Tensor input) {
        int offset = 0;
        for (Layer source : sources) {
            if (copied.contains(source)) {
                backend.copyChannels(source.output(), output(), offset);
            }
            offset += source.outputShape().c();
        }
    }

    @Override
    public void backward(Tensor input, Tensor inputDelta) {
        int offset = 0;
        for (Layer source : sources) {
            backend.addChannels(delta(), offset, source.delta());
            offset += source.outputShape().c();
        }
    }

    @Override
    public String summary() {
        return "route  " + sources.stream().map(l -> String.valueOf(l.index())).collect(Collectors.joining(" "));
    }
}
