package org.jdarknet.net;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jdarknet.Log;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.NetworkTraits;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.calibration.ConvolutionRanges;
import org.jdarknet.cfg.CfgParser;
import org.jdarknet.cfg.CfgSection;
import org.jdarknet.layers.AvgpoolLayer;
import org.jdarknet.layers.BatchnormLayer;
import org.jdarknet.layers.BuildContext;
import org.jdarknet.layers.ConnectedLayer;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.CostLayer;
import org.jdarknet.layers.CropLayer;
import org.jdarknet.layers.DropoutLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.MaxpoolLayer;
import org.jdarknet.layers.OutputPlacement;
import org.jdarknet.layers.Parameter;
import org.jdarknet.layers.RouteLayer;
import org.jdarknet.layers.ShortcutFusion;
import org.jdarknet.layers.ShortcutLayer;
import org.jdarknet.layers.SoftmaxLayer;
import org.jdarknet.layers.TrainingPass;

/**
 * A darknet network: the {@code [net]} settings and the layers built from a cfg file, with their
 * tensors on one backend. The image enters through {@link #forward(float[])} and the result
 * leaves through {@link #output()}; everything in between stays in the backend.
 */
public final class Network implements AutoCloseable {
    private final Path cfgFile;
    private final NetConfig config;
    private final Backend backend;
    private final List<Layer> layers;
    private final Tensor input;
    private final Layer outputLayer;
    private final Tensor truth;
    private final Handoffs placement;
    private SplittableRandom random = new SplittableRandom();
    private long seen;

    private Network(Path cfgFile, NetConfig config, Backend backend, List<Layer> layers, Tensor input, boolean training,
                    Handoffs placement) {
        this.cfgFile = cfgFile;
        this.config = config;
        this.backend = backend;
        this.layers = List.copyOf(layers);
        this.input = input;
        this.outputLayer = lastNonCost(layers);
        this.truth = training ? backend.allocate(outputLayer.outputShape()) : null;
        this.placement = placement;
    }

    /**
     * Builds the network a cfg file describes, for {@code batch} images at a time, with all learned
     * values at darknet's initial state (load a weights file into it next).
     */
    public static Network build(Path cfgFile, Backend backend, int batch) {
        return build(cfgFile, backend, batch, null);
    }

    /**
     * {@link #build(Path, Backend, int)} with the activation ranges of {@code calibration}: every
     * convolution's spec carries the range of its input ({@link ConvolutionSpec#inputRange}), but
     * the classifier head's ({@link ConvolutionRanges}), which an int8 backend quantises with and
     * other backends ignore. A calibration measured on another network is refused; null: none.
     */
    public static Network build(Path cfgFile, Backend backend, int batch, Calibration calibration) {
        return build(cfgFile, backend, batch, false, calibration);
    }

    /**
     * Builds the network for training {@code batch} images at a time (normally the cfg's
     * {@code batch/subdivisions}): with deltas, gradients and the values backward needs.
     */
    public static Network buildForTraining(Path cfgFile, Backend backend, int batch) {
        return build(cfgFile, backend, batch, true, null);
    }

    private static Network build(Path cfgFile, Backend backend, int batch, boolean training, Calibration calibration) {
        List<CfgSection> sections = CfgParser.parseSections(cfgFile);
        CfgSection first = NetConfig.section(sections);
        NetConfig config = NetConfig.parse(first);
        first.warnAboutLeftovers(Log::warn);
        Shape shape = new Shape(batch, config.channels(), config.height(), config.width());
        if (sections.size() == 1) {
            throw first.error("the cfg has no layers after [net]");
        }
        List<Layer> sketch = new ArrayList<>();
        MemoryNeeds needs = MemoryNeeds.measure(sections, config, shape, training, backend.activationsInJavaHeap(), sketch);
        needs.requireWithin(cfgFile, MemoryNeeds.Available.now());
        List<Layer> layers = new ArrayList<>();
        Tensor input = null;
        ConcatenationPlan concatenations = null;
        Handoffs placement = null;
        try {
            backend.prepare(traits(sketch, training));
            ConvolutionRanges ranges = calibration == null ? ConvolutionRanges.NONE
                    : ConvolutionRanges.of(calibration, sections.subList(1, sections.size()).stream().map(CfgSection::type).toList());
            concatenations = training ? ConcatenationPlan.none() : ConcatenationPlan.make(sketch, backend);
            ShortcutPlan shortcuts = training ? ShortcutPlan.none() : ShortcutPlan.make(sketch, concatenations);
            placement = training ? Handoffs.none(concatenations)
                    : Handoffs.make(sketch, ranges, concatenations, shortcuts, backend);
            input = training ? backend.allocate(shape) : Handoffs.input(sketch, ranges, shape, backend);
            buildLayers(sections, backend, shape, config, training, ranges, placement, shortcuts, layers,
                    (section, layer) -> section.warnAboutLeftovers(Log::warn));
            if (calibration != null) {
                calibration.requireFits(cfgFile, shape, layers);
            }
            return new Network(cfgFile, config, backend, layers, input, training, placement);
        } catch (RuntimeException | OutOfMemoryError e) {
            layers.forEach(Layer::close);
            if (placement != null) {
                placement.close();
            } else if (concatenations != null) {
                concatenations.close();
            }
            if (input != null) {
                input.close();
            }
            if (MemoryNeeds.isAllocationFailure(e)) {
                throw needs.allocationFailed(cfgFile, layers.size(), e);
            }
            throw e;
        }
    }

    /** What the backend is told of the network whose layers {@code sketch} are, before it allocates anything. */
    private static NetworkTraits traits(List<Layer> sketch, boolean training) {
        long values = 0;
        long concatenated = 0;
        for (Layer layer : sketch) {
            long perImage = layer.outputShape().size() / layer.outputShape().n();
            values += perImage;
            if (layer instanceof RouteLayer route && route.sources().size() > 1) {
                concatenated += perImage;
            }
        }
        return new NetworkTraits(values, concatenated, training);
    }

    /** Told of each layer as it is built, with the cfg section it was built from. */
    @FunctionalInterface
    interface BuildListener {
        void built(CfgSection section, Layer layer);
    }

    /**
     * Builds the layers that the sections after {@code [net]} describe onto {@code layers}, the
     * first receiving {@code input}, each allocating its own output: on a backend that only
     * measures (the network itself places outputs, fuses shortcuts and gives convolutions their
     * calibrated ranges).
     */
    static void buildLayers(List<CfgSection> sections, Backend backend, Shape input, NetConfig config, boolean training,
                            List<Layer> layers, BuildListener listener) {
        buildLayers(sections, backend, input, config, training, ConvolutionRanges.NONE, OutputPlacement.NONE,
                ShortcutFusion.NONE, layers, listener);
    }

    private static void buildLayers(List<CfgSection> sections, Backend backend, Shape input, NetConfig config,
                                    boolean training, ConvolutionRanges ranges, OutputPlacement placement,
                                    ShortcutFusion fusion, List<Layer> layers, BuildListener listener) {
        Shape shape = input;
        for (CfgSection section : sections.subList(1, sections.size())) {
            int index = layers.size();
            BuildContext context = new BuildContext(backend, index, shape, layers, config.batchNormStyle(), training,
                    ranges.inputRange(index), placement, fusion);
            Layer layer = buildLayer(section, context);
            listener.built(section, layer);
            layers.add(layer);
            shape = layer.outputShape();
        }
    }

    private static Layer buildLayer(CfgSection section, BuildContext context) {
        return switch (section.type()) {
            case "convolutional" -> ConvolutionalLayer.parse(section, context);
            case "connected" -> ConnectedLayer.parse(section, context);
            case "maxpool" -> MaxpoolLayer.parse(section, context);
            case "avgpool" -> AvgpoolLayer.parse(section, context);
            case "shortcut" -> ShortcutLayer.parse(section, context);
            case "route" -> RouteLayer.parse(section, context);
            case "softmax" -> SoftmaxLayer.parse(section, context);
            case "cost" -> CostLayer.parse(section, context);
            case "dropout" -> DropoutLayer.parse(section, context);
            case "batchnorm" -> BatchnormLayer.parse(section, context);
            case "crop" -> CropLayer.parse(section, context);
            case "net" -> throw section.error("[net] may only appear once, as the first section");
            default -> throw section.error("layer type not handled: " + section.type());
        };
    }

    private static Layer lastNonCost(List<Layer> layers) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (!(layers.get(i) instanceof CostLayer)) {
                return layers.get(i);
            }
        }
        return layers.get(layers.size() - 1);
    }

    /** Runs the network on {@code images}: batch × channels × height × width floats, planar RGB in [0,1]. */
    public void forward(float[] images) {
        backend.upload(images, input);
        forward(LayerObserver.NONE);
    }

    /**
     * Runs every layer on the input already uploaded, telling {@code observer} as each finishes.
     * Without an observer the layers run as one {@link Backend#repeatable} pass (the same layers
     * on the same tensors every time), which a backend may replay as a recording; an observer
     * times each layer, so then they run one by one.
     */
    public void forward(LayerObserver observer) {
        if (observer == LayerObserver.NONE) {
            backend.repeatable(this, () -> runLayers(LayerObserver.NONE));
        } else {
            runLayers(observer);
        }
    }

    private void runLayers(LayerObserver observer) {
        Tensor previous = input;
        for (Layer layer : layers) {
            long start = System.nanoTime();
            layer.forward(previous);
            observer.finished(layer, start);
            previous = layer.output();
        }
    }

    /** Runs {@code images} through the network and returns its result. */
    public float[] output(float[] images) {
        forward(images);
        return output();
    }

    /**
     * One training pass over a mini-batch, as darknet's {@code train_network_datum} without the
     * update: forward with batch statistics, loss against {@code truth} (batch × outputs), backward
     * accumulating every gradient. Returns darknet's cost (the mean over the layers that compute
     * one) and counts the images as seen.
     */
    public float train(float[] images, float[] expected) {
        return train(FloatBuffer.wrap(images), FloatBuffer.wrap(expected));
    }

    /**
     * {@link #train(float[], float[])} from the values remaining in two buffers, so that a replica
     * trains on its slice of a larger batch without a copy.
     */
    public float train(FloatBuffer images, FloatBuffer expected) {
        if (truth == null) {
            throw new IllegalStateException("network built for inference; use buildForTraining");
        }
        backend.upload(images, input);
        backend.upload(expected, truth);
        TrainingPass pass = new TrainingPass(truth, random);
        Tensor previous = input;
        for (Layer layer : layers) {
            if (layer.delta() != null) {
                backend.fill(layer.delta(), 0);
            }
            layer.forwardTraining(previous, pass);
            previous = layer.output();
        }
        backward();
        seen += input.shape().n();
        return pass.cost();
    }

    /** Darknet's backward_network: last layer first, stopping at a layer marked stopbackward. */
    private void backward() {
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer layer = layers.get(i);
            if (layer.options().stopBackward()) {
                return;
            }
            Layer below = i > 0 ? layers.get(i - 1) : null;
            layer.backward(below == null ? input : below.output(), below == null ? null : below.delta());
        }
    }

    /** Seeds the randomness of training passes (dropout masks, random crops), for reproducible runs. */
    public void seedTraining(long seed) {
        random = new SplittableRandom(seed);
    }

    /** The network's result after {@link #forward}: the last layer that is not a cost layer. */
    public float[] output() {
        return backend.download(outputLayer.output());
    }

    /**
     * The output of any layer after {@link #forward}, for inspection and tests; for a convolution
     * that computes the shortcut after it ({@link Layer#outputIsNextLayers}), that shortcut's.
     */
    public float[] layerOutput(int index) {
        return backend.download(layers.get(index).output());
    }

    public Tensor input() {
        return input;
    }

    public Shape inputShape() {
        return input.shape();
    }

    public Layer outputLayer() {
        return outputLayer;
    }

    public List<Layer> layers() {
        return layers;
    }

    public NetConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    public Path cfgFile() {
        return cfgFile;
    }

    /** Images trained on so far, as recorded in (and written to) weights files. */
    public long seen() {
        return seen;
    }

    public void setSeen(long seen) {
        this.seen = seen;
    }

    /** Floating-point operations for one image, as darknet counts them. */
    public long flops() {
        return layers.stream().mapToLong(Layer::flops).sum();
    }

    public long parameterCount() {
        return layers.stream().flatMap(l -> l.parameters().stream()).mapToLong(Parameter::length).sum();
    }

    /** Darknet's layer table, one row per layer. */
    public List<String> describe() {
        List<String> rows = new ArrayList<>();
        rows.add("layer     filters    size              input                output");
        for (Layer layer : layers) {
            rows.add(String.format("%5d %s", layer.index(), layer.summary()));
        }
        return rows;
    }

    @Override
    public void close() {
        layers.forEach(Layer::close);
        placement.close();
        input.close();
        if (truth != null) {
            truth.close();
        }
    }

    /** E.g. {@code network darknet19.cfg, 1x3x256x256}: how a backend names the network in its logs. */
    @Override
    public String toString() {
        return "network " + cfgFile.getFileName() + ", " + input.shape();
    }

    /** Receives each layer's completion during {@link #forward(LayerObserver)}, e.g. for timing. */
    @FunctionalInterface
    public interface LayerObserver {
        LayerObserver NONE = (layer, startNanos) -> {
        };

        void finished(Layer layer, long startNanos);
    }
}
