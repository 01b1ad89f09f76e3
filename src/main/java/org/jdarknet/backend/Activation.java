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
    },
    LOGGY("loggy") {
        @Override
        public float apply(float x) {
            return (float) (2.0 / (1.0 + Math.exp(-x)) - 1);
        }
    },
    RELU("relu") {
        @Override
        public float apply(float x) {
            return x > 0 ? x : 0;
        }
    },
    ELU("elu") {
        @Override
        public float apply(float x) {
            return x >= 0 ? x : (float) (Math.exp(x) - 1);
        }
    },
    SELU("selu") {
        @Override
        public float apply(float x) {
            return x >= 0 ? (float) (1.0507 * x) : (float) (1.0507 * 1.6732 * (Math.exp(x) - 1));
        }
    },
    RELIE("relie") {
        @Override
        public float apply(float x) {
            return x > 0 ? x : (float) (.01 * x);
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
    },
    HARDTAN("hardtan") {
        @Override
        public float apply(float x) {
            return x < -1 ? -1 : x > 1 ? 1 : x;
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
    },
    LINEAR("linear") {
        @Override
        public float apply(float x) {
            return x;
        }
    },
    RAMP("ramp") {
        @Override
        public float apply(float x) {
            return (float) ((x > 0 ? x : 0) + .1 * x);
        }
    },
    LEAKY("leaky") {
        @Override
        public float apply(float x) {
            return x > 0 ? x : (float) (.1 * x);
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
    },
    MISH("mish") {
        @Override
        public float apply(float x) {
            return x * tanhf(softplus(x));
        }
    },
    SWISH("swish") {
        @Override
        public float apply(float x) {
            return x * logisticf(x);
        }
    },
    RELU6("relu6") {
        @Override
        public float apply(float x) {
            return Math.min(Math.max(x, 0), 6);
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
    },
    GELU("gelu") {
        @Override
        public float apply(float x) {
            float inner = (float) (0.797885 * x + 0.035677 * (float) Math.pow(x, 3));
            return (float) (0.5 * x * (1 + (float) Math.tanh(inner)));
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
