package org.jdarknet.backend;

import static org.jdarknet.backend.BackendPair.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import org.jdarknet.backend.BackendPair.Epilogues;
import org.jdarknet.backend.BackendPair.Pair;
import org.junit.jupiter.api.Test;

/**
 * {@link Backend#channelSlice}: a view is its channels of the parent, for reading and writing,
 * and every forward operation reads and writes views as the reference backend does on dense
 * tensors. Where the tested backend declines a slice (the contract allows it) that case is
 * skipped, saying so on stderr.
 */
public abstract class ChannelViewConformance extends BackendConformance {
    private static final Shape PARENT = new Shape(2, 48, 5, 7);

    /** The tested backend's view, or empty (and a line on stderr) when it declines. */
    private static Optional<Tensor> slice(BackendPair backends, Tensor parent, int offset, int channels) {
        Optional<Tensor> view = backends.tested.channelSlice(parent, offset, channels);
        if (view.isEmpty()) {
            System.err.println(backends.name() + ": declines a view of channels " + offset + ".." + (offset + channels)
                    + " of " + parent.shape() + "; skipped");
        }
        return view;
    }

    /**
     * A view on the tested backend beside the copying path on the reference backend: a dense
     * tensor that receives the parent's channels before it is read ({@link #load}) and gives its
     * values back to them after it is written ({@link #store}), so that the tested backend's views
     * are compared with the dense operations of the oracle.
     */
    private record View(Pair pair, Tensor referenceParent, int offset) {
        Tensor reference() {
            return pair.reference();
        }

        Tensor tested() {
            return pair.tested();
        }

        Shape shape() {
            return pair.shape();
        }

        View load(Backend reference) {
            reference.fill(pair.reference(), 0);
            reference.addChannels(referenceParent, offset, pair.reference());
            return this;
        }

        void store(Backend reference) {
            reference.copyChannels(pair.reference(), referenceParent, offset);
        }
    }

    /** A view of the tested parent beside the reference's copying path, or empty when the tested backend declines. */
    private static Optional<View> views(BackendPair backends, Pair parent, int offset, int channels) {
        Shape shape = new Shape(parent.shape().n(), channels, parent.shape().h(), parent.shape().w());
        return slice(backends, parent.tested(), offset, channels).map(tested -> new View(
                new Pair(backends.reference.allocate(shape), tested), parent.reference(), offset));
    }

    /** Channels {@code offset..offset+channels} of every item of NCHW {@code values} of {@code shape}. */
    private static float[] channels(float[] values, Shape shape, int offset, int channels) {
        int plane = shape.h() * shape.w();
        float[] part = new float[shape.n() * channels * plane];
        for (int b = 0; b < shape.n(); b++) {
            System.arraycopy(values, (b * shape.c() + offset) * plane, part, b * channels * plane, channels * plane);
        }
        return part;
    }

    /** {@code values} with channels from {@code offset} on of every item replaced by {@code part}. */
    private static float[] replaced(float[] values, Shape shape, int offset, float[] part) {
        float[] whole = values.clone();
        int plane = shape.h() * shape.w();
        int channels = part.length / (shape.n() * plane);
        for (int b = 0; b < shape.n(); b++) {
            System.arraycopy(part, b * channels * plane, whole, (b * shape.c() + offset) * plane, channels * plane);
        }
        return whole;
    }

    @Test
    void aViewReadsAndWritesItsChannelsOfTheParent() {
        for (BackendPair backends : pairs) {
            for (int[] range : new int[][] {{16, 16}, {0, 8}, {40, 8}, {8, 32}, {0, 48}}) {
                int offset = range[0];
                int channels = range[1];
                float[] before = random(offset + 1, PARENT.size(), 1);
                Tensor parent = backends.tested.allocate(PARENT);
                backends.tested.upload(before, parent);
                Optional<Tensor> found = slice(backends, parent, offset, channels);
                if (found.isEmpty()) {
                    continue;
                }
                Tensor view = found.get();
                String what = backends.name() + " channels " + offset + ".." + (offset + channels);
                assertArrayEquals(channels(before, PARENT, offset, channels), backends.tested.download(view),
                        what + ": read through the view");
                float[] written = random(channels, view.shape().size(), 1);
                backends.tested.upload(written, view);
                assertArrayEquals(replaced(before, PARENT, offset, written), backends.tested.download(parent),
                        what + ": upload through the view");
                backends.tested.fill(view, 0.25f);
                float[] quarters = new float[view.shape().size()];
                Arrays.fill(quarters, 0.25f);
                assertArrayEquals(replaced(before, PARENT, offset, quarters), backends.tested.download(parent),
                        what + ": fill through the view");
                float[] after = random(offset + 2, PARENT.size(), 1);
                backends.tested.upload(after, parent);
                assertArrayEquals(channels(after, PARENT, offset, channels), backends.tested.download(view),
                        what + ": read after the parent changed");
                view.close();
                parent.close();
            }
        }
    }

    /**
     * A DenseNet step in one buffer: a 3x3 convolution reads the older channels through a view and
     * writes the new ones through another, and a 1x1 reads those; a pooling, a shortcut, an
     * epilogue, a copy and a route copy work on views too. The whole parent is compared after each
     * write, so values outside a view must be untouched.
     */
    @Test
    void forwardOperationsReadAndWriteViews() {
        for (BackendPair backends : pairs) {
            Pair parent = backends.activation(PARENT, random(3, PARENT.size(), 1));
            Optional<View> olderView = views(backends, parent, 16, 32);
            Optional<View> newerView = views(backends, parent, 0, 16);
            if (olderView.isEmpty() || newerView.isEmpty()) {
                continue;
            }
            Backend reference = backends.reference;
            Backend tested = backends.tested;
            View older = olderView.get();
            View newer = newerView.get();
            convolve(backends, new ConvolutionSpec(older.shape(), 16, 3, 1, 1, 1), older.load(reference).pair(),
                    newer.pair());
            newer.store(reference);
            backends.assertClose(parent, tolerances().linear(), "3x3 convolution from channels 16..48 into 0..16");
            Pair narrow = backends.activation(new Shape(2, 8, 5, 7));
            convolve(backends, new ConvolutionSpec(newer.shape(), 8, 1, 1, 0, 1), newer.load(reference).pair(), narrow);
            backends.assertClose(narrow, tolerances().linear(), "1x1 convolution from channels 0..16");
            Pair pooled = backends.activation(new Shape(2, 32, 3, 4));
            PoolSpec pool = new PoolSpec(older.shape(), 2, 2, 1);
            reference.maxPool(pool, older.load(reference).reference(), pooled.reference());
            tested.maxPool(pool, older.tested(), pooled.tested());
            backends.assertIdentical(pooled, "max pool of a view");
            Pair means = backends.activation(new Shape(2, 16, 1, 1));
            reference.averagePool(newer.load(reference).reference(), means.reference());
            tested.averagePool(newer.tested(), means.tested());
            backends.assertClose(means, tolerances().rounding(), "average pool of a view");
            Pair other = backends.activation(newer.shape(), random(4, newer.shape().size(), 1));
            reference.shortcut(other.reference(), 1, 1, newer.load(reference).reference());
            tested.shortcut(other.tested(), 1, 1, newer.tested());
            newer.store(reference);
            backends.assertClose(parent, tolerances().linear(), "shortcut into a view");
            Epilogues leaky = backends.epilogue(16, BatchNormStyle.PJREDDIE, true, Activation.LEAKY);
            reference.apply(leaky.reference(), newer.load(reference).reference());
            tested.apply(leaky.tested(), newer.tested());
            newer.store(reference);
            backends.assertClose(parent, tolerances().linear(), "epilogue on a view");
            Epilogues mish = backends.epilogue(16, null, false, Activation.MISH);
            reference.apply(mish.reference(), newer.load(reference).reference());
            tested.apply(mish.tested(), newer.tested());
            newer.store(reference);
            backends.assertClose(parent, tolerances().approximation(), "activation on a view");
            backends.upload(random(7, PARENT.size(), 1), parent);
            reference.copy(other.reference(), newer.reference());
            tested.copy(other.tested(), newer.tested());
            newer.store(reference);
            backends.assertIdentical(parent, "copy into a view");
            Pair route = backends.activation(new Shape(2, 40, 5, 7));
            reference.copyChannels(older.load(reference).reference(), route.reference(), 8);
            tested.copyChannels(older.tested(), route.tested(), 8);
            backends.assertIdentical(route, "route copy from a view");
            backends.upload(random(8, narrow.shape().size(), 1), narrow);
            reference.copyChannels(narrow.reference(), newer.load(reference).reference(), 8);
            tested.copyChannels(narrow.tested(), newer.tested(), 8);
            newer.store(reference);
            backends.assertIdentical(parent, "route copy into a view");
            Pair probabilities = backends.activation(newer.shape());
            reference.softmax(newer.load(reference).reference(), 1, 1, probabilities.reference());
            tested.softmax(newer.tested(), 1, 1, probabilities.tested());
            backends.assertClose(probabilities, tolerances().softmax(), "softmax of a view");
        }
    }

    private void convolve(BackendPair backends, ConvolutionSpec spec, Pair input, Pair output) {
        double fanIn = spec.weights().itemSize();
        Pair weights = backends.parameter(spec.weights(), random(spec.size(), spec.weights().size(), Math.sqrt(1 / fanIn)));
        Epilogues epilogue = backends.epilogue(spec.filters(), BatchNormStyle.PJREDDIE, true, Activation.LEAKY);
        try (Convolution reference = backends.reference.convolution(spec);
             Convolution tested = backends.tested.convolution(spec)) {
            reference.forward(input.reference(), weights.reference(), epilogue.reference(), output.reference());
            tested.forward(input.tested(), weights.tested(), epilogue.tested(), output.tested());
        }
    }

    /** A connected layer reads a view and writes another (a route of connected layers). */
    @Test
    void connectedLayersReadAndWriteViews() {
        for (BackendPair backends : pairs) {
            Shape vectors = new Shape(2, 48, 1, 1);
            Pair parent = backends.activation(vectors, random(5, vectors.size(), 1));
            Optional<View> input = views(backends, parent, 16, 32);
            Optional<View> output = views(backends, parent, 0, 16);
            if (input.isEmpty() || output.isEmpty()) {
                continue;
            }
            ConnectedSpec spec = new ConnectedSpec(input.get().shape(), 16);
            Pair weights = backends.parameter(spec.weights(), random(6, spec.weights().size(), 0.2));
            Epilogues epilogue = backends.epilogue(16, null, true, Activation.LEAKY);
            try (Connected reference = backends.reference.connected(spec);
                 Connected tested = backends.tested.connected(spec)) {
                reference.forward(input.get().load(backends.reference).reference(), weights.reference(),
                        epilogue.reference(), output.get().reference());
                tested.forward(input.get().tested(), weights.tested(), epilogue.tested(), output.get().tested());
            }
            output.get().store(backends.reference);
            backends.assertClose(parent, tolerances().rounding(), "connected from a view into a view");
        }
    }

    /** A backend offering a view must not offer one that does not fit. */
    @Test
    void aSliceOutsideTheParentIsRefused() {
        for (BackendPair backends : pairs) {
            Tensor parent = backends.tested.allocate(PARENT);
            boolean refused;
            try {
                refused = backends.tested.channelSlice(parent, 40, 16).isEmpty();
            } catch (IllegalArgumentException e) {
                refused = true;
            }
            assertTrue(refused, backends.name() + ": a view of channels 40..56 of 48");
            parent.close();
        }
    }
}
