package org.jdarknet.backend.cuda;

import java.util.List;

/**
 * The entry points of the kernels' PTX ({@code kernels.ptx}, documented in
 * {@code kernels/kernels.md}) that this backend calls, with their parameter lists as the launch
 * packs them. A test reads the committed PTX and checks every name and parameter list here
 * against it, so a change of the kernels' ABI fails the build, not a GPU run.
 */
enum Kernel {
    FILL("jd_fill", Type.POINTER, Type.WIDE, Type.REAL),
    AXPY("jd_axpy", Type.POINTER, Type.POINTER, Type.WIDE, Type.REAL),
    SCALE("jd_scale", Type.POINTER, Type.WIDE, Type.REAL),
    ACTIVATION_GRADIENT("jd_activation_gradient", Type.POINTER, Type.POINTER, Type.POINTER, Type.WIDE, Type.INTEGER),
    EPILOGUE("jd_epilogue", Type.POINTER, Type.WIDE, Type.INTEGER, Type.INTEGER, Type.POINTER, Type.POINTER, Type.POINTER,
            Type.INTEGER, Type.POINTER, Type.INTEGER),
    BATCHNORM_STATISTICS("jd_batchnorm_statistics", Type.POINTER, Type.POINTER, Type.POINTER, Type.POINTER, Type.POINTER,
            Type.INTEGER, Type.INTEGER, Type.INTEGER),
    BATCHNORM_NORMALIZE("jd_batchnorm_normalize", Type.POINTER, Type.POINTER, Type.POINTER, Type.POINTER, Type.POINTER,
            Type.POINTER, Type.WIDE, Type.INTEGER, Type.INTEGER, Type.INTEGER),
    CHUNK_SUMS("jd_chunk_sums", Type.POINTER, Type.POINTER, Type.POINTER, Type.WIDE, Type.INTEGER, Type.INTEGER, Type.INTEGER),
    BATCHNORM_MEAN_FROM_PARTIALS("jd_batchnorm_mean_from_partials", Type.POINTER, Type.POINTER, Type.INTEGER, Type.INTEGER,
            Type.INTEGER, Type.INTEGER),
    BATCHNORM_VARIANCE_FROM_PARTIALS("jd_batchnorm_variance_from_partials", Type.POINTER, Type.POINTER, Type.POINTER,
            Type.POINTER, Type.POINTER, Type.INTEGER, Type.INTEGER, Type.INTEGER, Type.INTEGER),
    BATCHNORM_BACKWARD_PARTIALS("jd_batchnorm_backward_partials", Type.POINTER, Type.POINTER, Type.POINTER, Type.POINTER,
            Type.POINTER, Type.WIDE, Type.INTEGER, Type.INTEGER, Type.INTEGER),
    BATCHNORM_BACKWARD_FROM_PARTIALS("jd_batchnorm_backward_from_partials", Type.POINTER, Type.POINTER, Type.POINTER,
            Type.POINTER, Type.POINTER, Type.POINTER, Type.INTEGER, Type.INTEGER, Type.INTEGER, Type.INTEGER, Type.INTEGER),
    BATCHNORM_BACKWARD_SUMS("jd_batchnorm_backward_sums", Type.POINTER, Type.POINTER, Type.POINTER, Type.POINTER,
            Type.POINTER, Type.POINTER, Type.POINTER, Type.POINTER, Type.POINTER, Type.INTEGER, Type.INTEGER, Type.INTEGER,
            Type.INTEGER),
    BATCHNORM_BACKWARD_DELTA("jd_batchnorm_backward_delta", Type.POINTER, Type.POINTER, Type.POINTER, Type.POINTER,
            Type.POINTER, Type.POINTER, Type.POINTER, Type.WIDE, Type.INTEGER, Type.INTEGER, Type.INTEGER, Type.INTEGER),
    BIAS_GRADIENT("jd_bias_gradient", Type.POINTER, Type.POINTER, Type.INTEGER, Type.INTEGER, Type.INTEGER),
    MAXPOOL_FORWARD("jd_maxpool_forward", Type.POINTER, Type.POINTER, Type.WIDE, Type.INTEGER, Type.INTEGER, Type.INTEGER,
            Type.INTEGER, Type.INTEGER, Type.INTEGER, Type.INTEGER),
    MAXPOOL_BACKWARD("jd_maxpool_backward", Type.POINTER, Type.POINTER, Type.POINTER, Type.WIDE, Type.INTEGER, Type.INTEGER,
            Type.INTEGER, Type.INTEGER, Type.INTEGER, Type.INTEGER, Type.INTEGER),
    AVGPOOL_FORWARD("jd_avgpool_forward", Type.POINTER, Type.POINTER, Type.WIDE, Type.INTEGER),
    AVGPOOL_BACKWARD("jd_avgpool_backward", Type.POINTER, Type.POINTER, Type.WIDE, Type.INTEGER),
    SHORTCUT("jd_shortcut", Type.POINTER, Type.POINTER, Type.INTEGER, Type.INTEGER, Type.INTEGER, Type.INTEGER,
            Type.INTEGER, Type.INTEGER, Type.INTEGER, Type.REAL, Type.REAL),
    ADD_CHANNELS("jd_add_channels", Type.POINTER, Type.POINTER, Type.INTEGER, Type.WIDE, Type.WIDE, Type.WIDE),
    CROP("jd_crop", Type.POINTER, Type.POINTER, Type.WIDE, Type.INTEGER, Type.INTEGER, Type.INTEGER, Type.INTEGER,
            Type.INTEGER, Type.INTEGER, Type.INTEGER, Type.REAL, Type.REAL),
    SOFTMAX("jd_softmax", Type.POINTER, Type.POINTER, Type.WIDE, Type.INTEGER, Type.REAL),
    SOFTMAX_CROSS_ENTROPY("jd_softmax_cross_entropy", Type.POINTER, Type.POINTER, Type.POINTER, Type.POINTER, Type.WIDE),
    COST("jd_cost", Type.POINTER, Type.POINTER, Type.POINTER, Type.POINTER, Type.WIDE, Type.INTEGER),
    SEGMENT_SUMS("jd_segment_sums", Type.POINTER, Type.POINTER, Type.WIDE, Type.WIDE),
    DROPOUT_FORWARD("jd_dropout_forward", Type.POINTER, Type.POINTER, Type.WIDE, Type.REAL, Type.WIDE),
    DROPOUT_BACKWARD("jd_dropout_backward", Type.POINTER, Type.POINTER, Type.WIDE, Type.REAL);

    /** A parameter's C type as it travels: what {@link KernelArguments} writes into its slot. */
    enum Type {
        /** A device pointer (any {@code T*}); a Java null passes NULL. */
        POINTER,
        /** {@code int}, also the Java ordinals of activations, styles and cost functions. */
        INTEGER,
        /** {@code long long}: element counts and offsets. */
        WIDE,
        /** {@code float}. */
        REAL
    }

    private final String entryPoint;
    private final List<Type> parameters;

    Kernel(String entryPoint, Type... parameters) {
        this.entryPoint = entryPoint;
        this.parameters = List.of(parameters);
    }

    String entryPoint() {
        return entryPoint;
    }

    List<Type> parameters() {
        return parameters;
    }
}
