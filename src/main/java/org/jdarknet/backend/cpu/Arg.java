package org.jdarknet.backend.cpu;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_ATTR_SCALES;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MULTIPLE_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_1;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import org.bytedeco.dnnl.memory;

/** One argument of a primitive's execution: which role a memory plays. */
record Arg(int key, memory value) {

    static Arg src(memory value) {
        return new Arg(DNNL_ARG_SRC, value);
    }

    /** The {@code index}-th input of a sum. */
    static Arg src(int index, memory value) {
        return new Arg(DNNL_ARG_MULTIPLE_SRC + index, value);
    }

    /** The second operand of a binary primitive. */
    static Arg src1(memory value) {
        return new Arg(DNNL_ARG_SRC_1, value);
    }

    static Arg weights(memory value) {
        return new Arg(DNNL_ARG_WEIGHTS, value);
    }

    static Arg bias(memory value) {
        return new Arg(DNNL_ARG_BIAS, value);
    }

    static Arg dst(memory value) {
        return new Arg(DNNL_ARG_DST, value);
    }

    /** The second operand of the binary post-op at position {@code postOp} of a primitive's chain. */
    static Arg postOpOperand(int postOp, memory value) {
        return new Arg(DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE * (postOp + 1) | DNNL_ARG_SRC_1, value);
    }

    /** The quantisation scales of argument {@code argument} (one of oneDNN's {@code DNNL_ARG_*}). */
    static Arg scales(int argument, memory value) {
        return new Arg(DNNL_ARG_ATTR_SCALES | argument, value);
    }
}
