package org.jdarknet.onnx;

import static org.jdarknet.onnx.GraphBuilder.attribute;

import java.util.List;
import org.jdarknet.backend.Activation;

/**
 * Darknet's activations as ONNX operators. Where ONNX has the very function (relu, leaky, elu,
 * selu, tanh, logistic) it is used with darknet's constants; the others are composed from
 * elementary operators following {@link Activation}'s formulas term for term, thresholds included
 * (mish's softplus cut-offs at ±20, gelu's own tanh coefficients rather than ONNX's Gelu).
 */
final class ActivationNodes {
    private final GraphBuilder g;

    ActivationNodes(GraphBuilder graph) {
        this.g = graph;
    }

    /** The activation of {@code x}; {@code x} itself for linear. */
    String apply(Activation activation, String x) {
        return switch (activation) {
            case LINEAR -> x;
            case LOGISTIC -> op("Sigmoid", x);
            case LOGGY -> op("Sub", op("Mul", g.scalar(2), op("Sigmoid", x)), g.scalar(1));
            case RELU -> op("Relu", x);
            case ELU -> g.node("Elu", List.of(x), attribute("alpha", 1f));
            case SELU -> g.node("Selu", List.of(x), attribute("alpha", 1.6732f), attribute("gamma", 1.0507f));
            case RELIE -> g.node("LeakyRelu", List.of(x), attribute("alpha", .01f));
            case LEAKY -> g.node("LeakyRelu", List.of(x), attribute("alpha", .1f));
            case PLSE -> plse(x);
            case HARDTAN -> clip(x, -1, 1);
            case LHTAN -> lhtan(x);
            case RAMP -> op("Add", op("Relu", x), op("Mul", x, g.scalar(.1f)));
            case TANH -> op("Tanh", x);
            case STAIR -> stair(x);
            case MISH -> op("Mul", x, alexeyAbTanh(softplus(x)));
            case SWISH -> op("Mul", x, op("Sigmoid", x));
            case RELU6 -> clip(x, 0, 6);
            case HARD_MISH -> hardMish(x);
            case GELU -> gelu(x);
        };
    }

    /** {@code x < -4: .01(x+4); x > 4: .01(x-4)+1; else .125x+.5}. */
    private String plse(String x) {
        String low = op("Mul", g.scalar(.01f), op("Add", x, g.scalar(4)));
        String high = op("Add", op("Mul", g.scalar(.01f), op("Sub", x, g.scalar(4))), g.scalar(1));
        String middle = op("Add", op("Mul", g.scalar(.125f), x), g.scalar(.5f));
        return op("Where", op("Less", x, g.scalar(-4)), low, op("Where", op("Greater", x, g.scalar(4)), high, middle));
    }

    /** {@code x < 0: .001x; x > 1: .001(x-1)+1; else x}. */
    private String lhtan(String x) {
        String low = op("Mul", g.scalar(.001f), x);
        String high = op("Add", op("Mul", g.scalar(.001f), op("Sub", x, g.scalar(1))), g.scalar(1));
        return op("Where", op("Less", x, g.scalar(0)), low, op("Where", op("Greater", x, g.scalar(1)), high, x));
    }

    /** {@code n = floor(x)}; n even: {@code floor(x/2)}, else {@code (x-n) + floor(x/2)}. */
    private String stair(String x) {
        String n = op("Floor", x);
        String half = op("Floor", op("Div", x, g.scalar(2)));
        String even = g.node("Equal", List.of(g.node("Mod", List.of(n, g.scalar(2)), attribute("fmod", 1L)), g.scalar(0)));
        return op("Where", even, half, op("Add", op("Sub", x, n), half));
    }

    /** AlexeyAB's softplus: {@code x} above 20, {@code e^x} below -20, else {@code log(e^x + 1)}. */
    private String softplus(String x) {
        String exp = op("Exp", x);
        String log = op("Log", op("Add", exp, g.scalar(1)));
        return op("Where", op("Greater", x, g.scalar(20)), x, op("Where", op("Less", x, g.scalar(-20)), exp, log));
    }

    /** AlexeyAB's float tanh in mish: {@code 2/(1 + e^-2x) - 1}. */
    private String alexeyAbTanh(String x) {
        String denominator = op("Add", g.scalar(1), op("Exp", op("Mul", x, g.scalar(-2))));
        return op("Sub", op("Div", g.scalar(2), denominator), g.scalar(1));
    }

    /** {@code x > 0: x; x > -2: x²/2 + x; else 0}. */
    private String hardMish(String x) {
        String quadratic = op("Add", op("Div", op("Mul", x, x), g.scalar(2)), x);
        return op("Where", op("Greater", x, g.scalar(0)), x, op("Where", op("Greater", x, g.scalar(-2)), quadratic, g.scalar(0)));
    }

    /** AlexeyAB's {@code 0.5x(1 + tanh(0.797885x + 0.035677x³))}. */
    private String gelu(String x) {
        String cube = op("Mul", op("Mul", x, x), x);
        String inner = op("Add", op("Mul", g.scalar(0.797885f), x), op("Mul", g.scalar(0.035677f), cube));
        return op("Mul", op("Mul", g.scalar(0.5f), x), op("Add", g.scalar(1), op("Tanh", inner)));
    }

    private String clip(String x, float low, float high) {
        return op("Clip", x, g.scalar(low), g.scalar(high));
    }

    private String op(String type, String... inputs) {
        return g.node(type, List.of(inputs));
    }
}
