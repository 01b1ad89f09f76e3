package org.jdarknet.backend.cpu;

import java.util.List;
import java.util.function.Predicate;
import org.jdarknet.backend.NetworkTraits;

/**
 * Chooses the layout of one network's activations. The layout oneDNN prefers on this CPU
 * ({@link ActivationFormat}) has its fastest convolutions, but where oneDNN convolves channel
 * views in it only with its reference kernels, the cpu backend offers no views in it and every
 * route concatenation is a copy. A network made mostly of concatenations (a DenseNet) then runs
 * faster in another layout in which views are convolved with optimised kernels, despite that
 * layout's somewhat slower convolutions; a network with few routes does not
 * (docs/benchmarks.md). So the other layout is taken when at least {@link #CONCATENATED_SHARE}
 * of the network's activation values are concatenations that views could place.
 */
final class NetworkLayout {
    /**
     * Between the zoo's networks that gain from views (DenseNets: over half their activation
     * values are concatenations) and those that do not (CSPDarknet53: an eighth).
     */
    static final double CONCATENATED_SHARE = 1.0 / 3;
    /** Where to look for views when the preferred layout takes none: the wider block first. */
    private static final List<Layout.Format> CANDIDATES = List.of(Layout.Format.BLOCKED_16, Layout.Format.BLOCKED_8,
            Layout.Format.CHANNELS_LAST);

    private NetworkLayout() {
    }

    /** A layout, and why it was chosen (for {@code --verbose}). */
    record Choice(Layout.Format format, String reason) {
    }

    /**
     * The layout for {@code network}'s activations.
     *
     * @param preferred        the layout oneDNN prefers on this CPU
     * @param optimisedInViews whether the backend offers views in a layout that oneDNN convolves
     *                         with optimised kernels; asked only of networks with enough concatenations
     */
    static Choice choose(Layout.Format preferred, NetworkTraits network, Predicate<Layout.Format> optimisedInViews) {
        if (network.training()) {
            return new Choice(preferred, "the layout oneDNN prefers here; a network built for training makes no"
                    + " channel views");
        }
        double share = network.viewableConcatenationShare();
        String concatenations = percent(share) + " of its activation values are route concatenations";
        if (share < CONCATENATED_SHARE) {
            return new Choice(preferred, "the layout oneDNN prefers here; " + concatenations + ", too few for"
                    + " channel views to pay for another layout");
        }
        if (optimisedInViews.test(preferred)) {
            return new Choice(preferred, "the layout oneDNN prefers here, where it convolves channel views with optimised"
                    + " kernels (" + concatenations + ")");
        }
        for (Layout.Format candidate : CANDIDATES) {
            if (candidate != preferred && optimisedInViews.test(candidate)) {
                return new Choice(candidate, concatenations + ", which oneDNN convolves as channel views with optimised"
                        + " kernels in " + candidate + " but not in " + preferred + ", the layout it prefers here");
            }
        }
        return new Choice(preferred, "the layout oneDNN prefers here; " + concatenations + ", but no layout here"
                + " offers channel views that oneDNN convolves with optimised kernels (int8 offers none)");
    }

    /** Without {@link String#format}, whose first call sets up locale data a one-image {@code classify} needs nowhere else. */
    private static String percent(double share) {
        return Math.round(100 * share) + "%";
    }
}
