package dev.captioner.decoder;

import ai.djl.ndarray.NDArray;
import java.util.function.DoubleSupplier;

/**
 * Central differences for float64 gradient checks: perturbs each element of an array in place by
 * {@code ± eps}, re-evaluates a scalar function and compares with the autograd gradient.
 */
public final class GradientCheck {

    private GradientCheck() {}

    /**
     * The numerical gradient of {@code f} with respect to {@code x}, element by element.
     *
     * @param x a float64 array that {@code f} reads; restored afterwards
     * @param f the scalar function, evaluated without recording
     * @param eps the step
     */
    public static double[] numerical(NDArray x, DoubleSupplier f, double eps) {
        double[] values = x.toDoubleArray();
        double[] grad = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double keep = values[i];
            values[i] = keep + eps;
            x.set(values);
            double plus = f.getAsDouble();
            values[i] = keep - eps;
            x.set(values);
            double minus = f.getAsDouble();
            values[i] = keep;
            grad[i] = (plus - minus) / (2 * eps);
        }
        x.set(values);
        return grad;
    }

    /**
     * max |a - n| / max(max |a|, max |n|): the error relative to the gradient's scale; when both are
     * below 1e-9 (a gradient that is exactly zero, such as a bias before a softmax) the absolute error.
     */
    public static double relativeError(double[] autograd, double[] numerical) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < autograd.length; i++) {
            diff = Math.max(diff, Math.abs(autograd[i] - numerical[i]));
            scale = Math.max(scale, Math.max(Math.abs(autograd[i]), Math.abs(numerical[i])));
        }
        return scale < 1e-9 ? diff : diff / scale;
    }
}
