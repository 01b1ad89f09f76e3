package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jdarknet.backend.Shape;
import org.junit.jupiter.api.Test;

/**
 * {@link Layout#inPlainOrder} lets uploads and downloads skip the reorder; it must hold exactly
 * when every value already sits at its NCHW index and the buffer holds nothing else, which is
 * checked here against {@link Layout#offset} and {@link Layout#bufferSize} themselves.
 */
class LayoutPlainOrderTest {
    private static final List<Shape> SHAPES = List.of(new Shape(1, 1000, 1, 1), new Shape(2, 1000, 1, 1),
            new Shape(1, 12, 1, 1), new Shape(3, 1, 5, 4), new Shape(1, 3, 4, 4), new Shape(2, 16, 2, 3),
            new Shape(1, 8, 1, 1));

    @Test
    void plainOrderIsExactlyWhereEveryValueSitsAtItsNchwIndex() {
        for (Layout.Format format : Layout.Format.values()) {
            for (Shape shape : SHAPES) {
                Layout layout = new Layout(shape, format);
                assertEquals(isNchw(layout), layout.inPlainOrder(), layout.toString());
            }
        }
    }

    @Test
    void aViewIsNeverInPlainOrder() {
        Layout parent = new Layout(new Shape(1, 16, 1, 1), Layout.Format.CHANNELS_LAST);
        assertEquals(false, parent.channels(0, 8).inPlainOrder());
    }

    private static boolean isNchw(Layout layout) {
        Shape shape = layout.shape();
        if (layout.bufferSize() != shape.size()) {
            return false;
        }
        int index = 0;
        for (int n = 0; n < shape.n(); n++) {
            for (int c = 0; c < shape.c(); c++) {
                for (int y = 0; y < shape.h(); y++) {
                    for (int x = 0; x < shape.w(); x++) {
                        if (layout.offset(n, c, y, x) != index++) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }
}
