package org.jdarknet.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How closely two float arrays agree, and assertions phrased for layer outputs. */
record Agreement(int count, int differing, double maxAbsolute, int firstDifference) {

    static Agreement of(float[] ours, float[] theirs) {
        assertEquals(theirs.length, ours.length, "number of values");
        int differing = 0;
        double max = 0;
        int first = -1;
        for (int i = 0; i < ours.length; i++) {
            if (Float.floatToIntBits(ours[i]) != Float.floatToIntBits(theirs[i])) {
                if (first < 0) {
                    first = i;
                }
                differing++;
                max = Math.max(max, Math.abs((double) ours[i] - theirs[i]));
            }
        }
        return new Agreement(ours.length, differing, max, first);
    }

    /** Every value bit for bit. */
    static void assertIdentical(float[] ours, float[] theirs, String what) {
        Agreement agreement = of(ours, theirs);
        assertEquals(0, agreement.differing(), () -> what + ": " + agreement.differing() + " of " + agreement.count()
                + " values differ, first at " + agreement.firstDifference() + " (ours "
                + ours[agreement.firstDifference()] + ", darknet " + theirs[agreement.firstDifference()]
                + "), largest difference " + agreement.maxAbsolute());
    }

    static void assertClose(float[] ours, float[] theirs, double tolerance, String what) {
        Agreement agreement = of(ours, theirs);
        assertTrue(agreement.maxAbsolute() <= tolerance, () -> what + ": largest difference " + agreement.maxAbsolute()
                + " exceeds " + tolerance + " (" + agreement.differing() + " of " + agreement.count() + " values differ)");
    }
}
