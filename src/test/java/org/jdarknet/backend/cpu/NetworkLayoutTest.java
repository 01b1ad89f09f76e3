package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jdarknet.backend.NetworkTraits;
import org.junit.jupiter.api.Test;

/**
 * {@link NetworkLayout#choose} over network traits and oneDNN's facts, injected here: which
 * layouts it convolves channel views in with optimised kernels. The shares are those of the zoo
 * (densenet201 about 0.69, cspdarknet53 about 0.12, the rest 0).
 */
class NetworkLayoutTest {
    private static final NetworkTraits DENSE = new NetworkTraits(1000, 690, false);
    private static final NetworkTraits FEW_ROUTES = new NetworkTraits(1000, 120, false);
    private static final NetworkTraits NO_ROUTES = new NetworkTraits(1000, 0, false);
    /** This session's AVX2 machine: no optimised convolution of nhwc views, none at all in nChw16c. */
    private static final Set<Layout.Format> AVX2 = EnumSet.of(Layout.Format.BLOCKED_8);

    @Test
    void aDenseNetTakesTheBlockedLayoutWhereThePreferredOneConvolvesNoViews() {
        assertEquals(Layout.Format.BLOCKED_8, choose(Layout.Format.CHANNELS_LAST, DENSE, AVX2::contains));
    }

    @Test
    void theWiderBlockIsTriedFirst() {
        assertEquals(Layout.Format.BLOCKED_16, choose(Layout.Format.CHANNELS_LAST, DENSE,
                EnumSet.of(Layout.Format.BLOCKED_8, Layout.Format.BLOCKED_16)::contains));
    }

    @Test
    void thePreferredLayoutStaysWhereItConvolvesViews() {
        List<Layout.Format> asked = new ArrayList<>();
        Predicate<Layout.Format> everyLayout = format -> asked.add(format);
        assertEquals(Layout.Format.CHANNELS_LAST, choose(Layout.Format.CHANNELS_LAST, DENSE, everyLayout));
        assertEquals(List.of(Layout.Format.CHANNELS_LAST), asked, "layouts asked about");
    }

    @Test
    void aNetworkOfFewConcatenationsKeepsThePreferredLayoutWithoutAskingOneDnn() {
        Predicate<Layout.Format> unasked = format -> {
            throw new AssertionError("oneDNN asked about " + format + " for a network with few concatenations");
        };
        assertEquals(Layout.Format.CHANNELS_LAST, choose(Layout.Format.CHANNELS_LAST, FEW_ROUTES, unasked));
        assertEquals(Layout.Format.CHANNELS_LAST, choose(Layout.Format.CHANNELS_LAST, NO_ROUTES, unasked));
        assertEquals(Layout.Format.CHANNELS_LAST, choose(Layout.Format.CHANNELS_LAST,
                new NetworkTraits(1000, 690, true), unasked), "training makes no views");
    }

    @Test
    void theThresholdIsAThirdOfTheActivationValues() {
        assertEquals(Layout.Format.BLOCKED_8, choose(Layout.Format.CHANNELS_LAST, new NetworkTraits(3000, 1000, false),
                AVX2::contains));
        assertEquals(Layout.Format.CHANNELS_LAST, choose(Layout.Format.CHANNELS_LAST,
                new NetworkTraits(3000, 999, false), AVX2::contains));
    }

    /** int8 offers no views in any layout, so it keeps the layout oneDNN's int8 kernels prefer. */
    @Test
    void withoutViewsAnywhereThePreferredLayoutStays() {
        NetworkLayout.Choice choice = NetworkLayout.choose(Layout.Format.CHANNELS_LAST, DENSE, format -> false);
        assertEquals(Layout.Format.CHANNELS_LAST, choice.format());
        assertTrue(choice.reason().contains("69% of its activation values are route concatenations"), choice.reason());
    }

    @Test
    void aBlockedPreferenceWithoutViewsMayGiveWayToChannelsLast() {
        assertEquals(Layout.Format.CHANNELS_LAST, choose(Layout.Format.BLOCKED_8, DENSE,
                EnumSet.of(Layout.Format.CHANNELS_LAST)::contains));
    }

    private static Layout.Format choose(Layout.Format preferred, NetworkTraits network,
                                        Predicate<Layout.Format> optimisedInViews) {
        return NetworkLayout.choose(preferred, network, optimisedInViews).format();
    }
}
