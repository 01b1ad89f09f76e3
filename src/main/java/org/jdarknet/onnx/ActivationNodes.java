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
            case LOGISTIC -> unary("Sigmoid", x);
            case LOGGY -> sub(mul(g.scalar(2), unary("Sigmoid", x)), g.scalar(1));
            case RELU -> unary("Relu", x);
            case ELU -> g.node("Elu", List.of(x), attribute("alpha", 1f));
            case SELU -> g.node("Selu", List.of(x), attribute("alpha", 1.6732f), attribute("gamma", 1.0507f));
            case RELIE -> g.node("LeakyRelu", List.of(x), attribute("alpha", .01f));
            case LEAKY -> g.node("LeakyRelu", List.of(x), attribute("alpha", .1f));
            case PLSE -> plse(x);
            case HARDTAN -> clip(x, -1, 1);
            case LHTAN -> lhtan(x);
            case RAMP -> add(unary("Relu", x), mul(x, g.scalar(.1f)));
            case TANH -> unary("Tanh", x);
            case STAIR -> stair(x);
            case MISH -> mul(x, alexeyAbTanh(softplus(x)));
            case SWISH -> mul(x, unary("Sigmoid", x));
            case RELU6 -> clip(x, 0, 6);
            case HARD_MISH -> hardMish(x);
            case GELU -> gelu(x);
        };
    }

    /** {@code x < -4: .01(x+4); x > 4: .01(x-4)+1; else .125x+.5}. */
    private String plse(String x) {
        String low = mul(g.scalar(.01f), add(x, g.scalar(4)));
        String high = add(mul(g.scalar(.01f), sub(x, g.scalar(4))), g.scalar(1));
        String middle = add(mul(g.scalar(.125f), x), g.scalar(.5f));
        return where(less(x, g.scalar(-4)), low, where(greater(x, g.scalar(4)), high, middle));
    }

    /** {@code x < 0: .001x; x > 1: .001(x-1)+1; else x}. */
    private String lhtan(String x) {
        String low = mul(g.scalar(.001f), x);
        String high = add(mul(g.scalar(.001f), sub(x, g.scalar(1))), g.scalar(1));
        return where(less(x, g.scalar(0)), low, where(greater(x, g.scalar(1)), high, x));
    }

    /** {@code n = floor(x)}; n even: {@code floor(x/2)}, else {@code (x-n) + floor(x/2)}. */
    private String stair(String x) {
        String n = unary("Floor", x);
        String half = unary("Floor", div(x, g.scalar(2)));
        String even = g.node("Equal", List.of(g.node("Mod", List.of(n, g.scalar(2)), attribute("fmod", 1L)), g.scalar(0)));
        return where(even, half, add(sub(x, n), half));
    }

    /** AlexeyAB's softplus: {@code x} above 20, {@code e^x} below -20, else {@code log(e^x + 1)}. */
    private String softplus(String x) {
        String exp = unary("Exp", x);
        String log = unary("Log", add(exp, g.scalar(1)));
        return where(greater(x, g.scalar(20)), x, where(less(x, g.scalar(-20)), exp, log));
    }

    /** AlexeyAB's float tanh in mish: {@code 2/(1 + e^-2x) - 1}. */
    private String alexeyAbTanh(String x) {
        String denominator = add(g.scalar(1), unary("Exp", mul(x, g.scalar(-2))));
        return sub(div(g.scalar(2), denominator), g.scalar(1));
    }

    /** {@code x > 0: x; x > -2: x²/2 + x; else 0}. */
    private String hardMish(String x) {
        String quadratic = add(div(mul(x, x), g.scalar(2)), x);
        return where(greater(x, g.scalar(0)), x, where(greater(x, g.scalar(-2)), quadratic, g.scalar(0)));
    }

    /** AlexeyAB's {@code 0.5x(1 + tanh(0.797885x + 0.035677x³))}. */
    private String gelu(String x) {
        String cube = mul(mul(x, x), x);
        String inner = add(mul(g.scalar(0.797885f), x), mul(g.scalar(0.035677f), cube));
        return mul(mul(g.scalar(0.5f), x), add(g.scalar(1), unary("Tanh", inner)));
    }

    private String clip(String x, float low, float high) {
        return g.node("Clip", List.of(x, g.scalar(low), g.scalar(high)));
    }

    private String unary(String op, String x) {
        return g.node(op, List.of(x));
    }

    private String add(String a, String b) {
        return g.node("Add", List.of(a, b));
    }

    private String sub(String a, String b) {
        return g.node("Sub", List.of(a, b));
    }

    private String mul(String a, String b) {
        return g.node("Mul", List.of(a, b));
    }

    private String div(String a, String b) {
        return g.node("Div", List.of(a, b));
    }

    private String less(String a, String b) {
        return g.node("Less", List.of(a, b));
    }

    private String greater(String a, String b) {
        return g.node("Greater", List.of(a, b));
    }

    private String where(String condition, String ifTrue, String ifFalse) {
        return g.node("Where", List.of(condition, ifTrue, ifFalse));
    }
}
