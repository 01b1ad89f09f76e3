package org.jdarknet.backend;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Darknet's activation functions, by their cfg names.
 *
 * <p>The first fourteen are pjreddie's, computed as his C code computes them: his literals are
 * doubles ({@code .1*x}) and {@code exp} is the double-precision one, so the value is formed in
 * double and rounded to float once. The last five exist only in AlexeyAB's fork (mish, swish, ...)
 * and follow its float arithmetic ({@code expf}, {@code logf}).
 */
public enum Activation {
    LOGISTIC("logistic") {
        @Override
        public float apply(float x) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }

        @Override
        public float gradient(float x, float y) {
            return (1 - y) * y;
        }
    },
    LOGGY("loggy") {
        @Override
        public float apply(float x) {
            return (float) (2.0 / (1.0 + Math.exp(-x)) - 1);
        }

        @Override
        public float gradient(float x, float y) {
            float half = (float) ((y + 1.) / 2.);
            return 2 * (1 - half) * half;
        }
    },
    RELU("relu") {
        @Override
        public float apply(float x) {
            return x > 0 ? x : 0;
        }

        @Override
        public float gradient(float x, float y) {
            return y > 0 ? 1 : 0;
        }
    },
    ELU("elu") {
        @Override
        public float apply(float x) {
            return x >= 0 ? x : (float) (Math.exp(x) - 1);
        }

        @Override
        public float gradient(float x, float y) {
            return y >= 0 ? 1 : y + 1;
        }
    },
    SELU("selu") {
        @Override
        public float apply(float x) {
            return x >= 0 ? (float) (1.0507 * x) : (float) (1.0507 * 1.6732 * (Math.exp(x) - 1));
        }

        @Override
        public float gradient(float x, float y) {
            return y >= 0 ? (float) 1.0507 : (float) (y + 1.0507 * 1.6732);
        }
    },
    RELIE("relie") {
        @Override
        public float apply(float x) {
            return x > 0 ? x : (float) (.01 * x);
        }

        @Override
        public float gradient(float x, float y) {
            return y > 0 ? 1 : (float) .01;
        }
    },
    PLSE("plse") {
        @Override
        public float apply(float x) {
            if (x < -4) {
                return (float) (.01 * (x + 4));
            }
            if (x > 4) {
                return (float) (.01 * (x - 4) + 1);
            }
            return (float) (.125 * x + .5);
        }

        @Override
        public float gradient(float x, float y) {
            return y < 0 || y > 1 ? (float) .01 : (float) .125;
        }
    },
    HARDTAN("hardtan") {
        @Override
        public float apply(float x) {
            return x < -1 ? -1 : x > 1 ? 1 : x;
        }

        @Override
        public float gradient(float x, float y) {
            return y > -1 && y < 1 ? 1 : 0;
        }
    },
    LHTAN("lhtan") {
        @Override
        public float apply(float x) {
            if (x < 0) {
                return (float) (.001 * x);
            }
            if (x > 1) {
                return (float) (.001 * (x - 1) + 1);
            }
            return x;
        }

        @Override
        public float gradient(float x, float y) {
            return y > 0 && y < 1 ? 1 : (float) .001;
        }
    },
    LINEAR("linear") {
        @Override
        public float apply(float x) {
            return x;
        }

        @Override
        public float gradient(float x, float y) {
            return 1;
        }
    },
    RAMP("ramp") {
        @Override
        public float apply(float x) {
            return (float) ((x > 0 ? x : 0) + .1 * x);
        }

        @Override
        public float gradient(float x, float y) {
            return (float) ((y > 0 ? 1 : 0) + .1);
        }
    },
    LEAKY("leaky") {
        @Override
        public float apply(float x) {
            return x > 0 ? x : (float) (.1 * x);
        }

        @Override
        public float gradient(float x, float y) {
            return y > 0 ? 1 : (float) .1;
        }
    },
    TANH("tanh") {
        @Override
        public float apply(float x) {
            // darknet's (e^2x - 1)/(e^2x + 1); past |x| = 20 that is ±1 in float, and the formula
            // itself would overflow to inf/inf = NaN for very large x.
            if (Math.abs(x) > 20) {
                return Math.signum(x);
            }
            double e = Math.exp(2 * x);
            return (float) ((e - 1) / (e + 1));
        }

        @Override
        public float gradient(float x, float y) {
            return 1 - y * y;
        }
    },
    STAIR("stair") {
        @Override
        public float apply(float x) {
            int n = (int) Math.floor(x);
            if (n % 2 == 0) {
                return (float) Math.floor(x / 2.);
            }
            return (float) ((x - n) + Math.floor(x / 2.));
        }

        @Override
        public float gradient(float x, float y) {
            return Math.floor(y) == y ? 0 : 1;
        }
    },
    MISH("mish") {
        @Override
        public float apply(float x) {
            return x * tanhf(softplus(x));
        }

        @Override
        public float gradient(float x, float y) {
            float softplus = softplus(x);
            float gradSoftplus = (float) (1 - Math.exp(-softplus));
            float tanh = (float) Math.tanh(softplus);
            return x * (1 - tanh * tanh) * gradSoftplus + tanh;
        }

        @Override
        public boolean gradientNeedsInput() {
            return true;
        }
    },
    SWISH("swish") {
        @Override
        public float apply(float x) {
            return x * logisticf(x);
        }

        @Override
        public float gradient(float x, float y) {
            float sigmoid = logisticf(x);
            return y + sigmoid * (1 - y);
        }

        @Override
        public boolean gradientNeedsInput() {
            return true;
        }
    },
    RELU6("relu6") {
        @Override
        public float apply(float x) {
            return Math.min(Math.max(x, 0), 6);
        }

        @Override
        public float gradient(float x, float y) {
            return y > 0 && y < 6 ? 1 : 0;
        }
    },
    HARD_MISH("hard_mish") {
        @Override
        public float apply(float x) {
            if (x > 0) {
                return x;
            }
            if (x > -2) {
                return x * x / 2 + x;
            }
            return 0;
        }

        @Override
        public float gradient(float x, float y) {
            return x > 0 ? 1 : x > -2 ? x + 1 : 0;
        }

        @Override
        public boolean gradientNeedsInput() {
            return true;
        }
    },
    GELU("gelu") {
        @Override
        public float apply(float x) {
            float inner = (float) (0.797885 * x + 0.035677 * (float) Math.pow(x, 3));
            return (float) (0.5 * x * (1 + (float) Math.tanh(inner)));
        }

        @Override
        public float gradient(float x, float y) {
            float cube = (float) Math.pow(x, 3);
            double inner = 0.0356774 * cube + 0.797885 * x;
            double sech = 2 / (Math.exp(inner) + Math.exp(-inner));
            return (float) (0.5 * Math.tanh(inner) + (0.0535161 * cube + 0.398942 * x) * sech * sech + 0.5);
        }

        @Override
        public boolean gradientNeedsInput() {
            return true;
        }
    };

    /** AlexeyAB's softplus threshold in mish: beyond ±20, softplus is x or e^x. */
    private static final float SOFTPLUS_THRESHOLD = 20;

    private final String cfgName;

    Activation(String cfgName) {
        this.cfgName = cfgName;
    }

    /** The activation's value at {@code x}. */
    public abstract float apply(float x);

    /**
     * The derivative at input {@code x} whose value was {@code y}. Darknet's own activations
     * compute it from {@code y} alone (so training keeps only the output); AlexeyAB's smooth ones
     * need the input as well (see {@link #gradientNeedsInput}).
     */
    public abstract float gradient(float x, float y);

    /** Whether {@link #gradient} needs the input, so training must keep it. */
    public boolean gradientNeedsInput() {
        return false;
    }

    /** The name used in cfg files, e.g. {@code leaky}. */
    public String cfgName() {
        return cfgName;
    }

    /** Looks up a cfg name; null when darknet's forks have no such activation. */
    public static Activation byName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (Activation activation : values()) {
            if (activation.cfgName.equals(wanted)) {
                return activation;
            }
        }
        return null;
    }

    /** All cfg names, for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(Activation::cfgName).collect(Collectors.joining(", "));
    }

    private static float expf(float x) {
        return (float) Math.exp(x);
    }

    private static float logisticf(float x) {
        return 1f / (1f + expf(-x));
    }

    /** AlexeyAB's float tanh: {@code 2/(1 + e^-2x) - 1}. */
    private static float tanhf(float x) {
        return 2f / (1f + expf(-2 * x)) - 1;
    }

    private static float softplus(float x) {
        if (x > SOFTPLUS_THRESHOLD) {
            return x;
        }
        if (x < -SOFTPLUS_THRESHOLD) {
            return expf(x);
        }
        return (float) Math.log(expf(x) + 1);
    }
}
