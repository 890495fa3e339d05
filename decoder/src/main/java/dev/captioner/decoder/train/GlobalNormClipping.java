package dev.captioner.decoder.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Gradient clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_} does: treat the gradients
 * of all trainable parameters as one vector g, take its L2 norm
 *
 * <pre>
 *   ‖g‖ = sqrt( Σ_p Σ_j g_{p,j}² )
 * </pre>
 *
 * and scale every gradient in place by min(1, maxNorm / (‖g‖ + 10⁻⁶)). The direction of the update is
 * kept; only its length is capped. (DJL's {@code optClipGrad} is not this: it clamps each element on
 * its own, which bends the direction; see DJL_NOTES gotcha 3.)
 *
 * <p>Call it after {@code backward} and before the optimizer step:
 *
 * <pre>{@code
 * GlobalNormClipping clipping = GlobalNormClipping.builder().setMaxNorm(5.0).build();
 * try (NDManager step = model.getNDManager().newSubManager()) {
 *     ... forward, collector.backward(loss) ...
 *     double norm = clipping.clip(block.getParameters(), step);   // the pre-clip norm, for the logs
 *     trainer.step();
 * }
 * }</pre>
 *
 * <p>Each {@link NDArray#getGradient()} makes a new native handle (DJL_NOTES gotcha 2), so every handle
 * and every intermediate is attached to the caller's {@code scope} and freed when it closes; the
 * gradient storage itself belongs to the parameter and is scaled through the handle with
 * {@code muli}. Each parameter's sum of squares is taken by the engine in the gradient's own type
 * (float32, like torch), and the per-parameter sums are added in double.
 *
 * <p>If the norm is NaN or infinite, the gradients are left as they are and the norm is returned, so
 * training can skip the step (torch would multiply everything by NaN).
 */
public final class GlobalNormClipping {
    /** Torch's guard against division by zero in maxNorm / (‖g‖ + ε). */
    public static final double DEFAULT_EPSILON = 1e-6;

    private final double maxNorm;
    private final double epsilon;

    GlobalNormClipping(double maxNorm, double epsilon) {
        if (!(maxNorm > 0 && maxNorm < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("the maximum gradient norm must be a finite number above 0, got " + maxNorm);
        }
        if (!(epsilon >= 0 && epsilon < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("epsilon must be a finite number at least 0, got " + epsilon);
        }
        this.maxNorm = maxNorm;
        this.epsilon = epsilon;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The largest global norm left after clipping. */
    public double maxNorm() {
        return maxNorm;
    }

    /** The ε in maxNorm / (‖g‖ + ε). */
    public double epsilon() {
        return epsilon;
    }

    /**
     * Clips the gradients of a block's parameters, e.g. {@code block.getParameters()}.
     *
     * @see #clip(Collection, NDManager)
     */
    public double clip(ParameterList parameters, NDManager scope) {
        return clip(parameters.values(), scope);
    }

    /**
     * Computes the global norm of the gradients of {@code parameters} and scales them in place so that it
     * is at most {@link #maxNorm()}. Parameters that are frozen, not initialized, or have no gradient are
     * skipped.
     *
     * @param parameters the trainable parameters, after {@code backward}
     * @param scope      the step's manager: every gradient handle and intermediate is attached to it
     * @return the global norm before clipping
     */
    public double clip(Collection<Parameter> parameters, NDManager scope) {
        Measured measured = measure(parameters, scope);
        if (measured.scale() < 1.0) {
            for (NDArray gradient : measured.gradients()) {
                gradient.muli((float) measured.scale()); // in place: writes the parameter's gradient storage
            }
        }
        return measured.norm();
    }

    /**
     * The factor {@link #clip} would scale the gradients by, min(1, maxNorm / (‖g‖ + ε)), without scaling
     * them: for an optimizer that applies it in its own pass ({@link Adam#step(java.util.Map, float, float,
     * NDManager, NDManager)}). 1 when the norm is NaN or infinite.
     */
    public double scale(Collection<Parameter> parameters, NDManager scope) {
        return measure(parameters, scope).scale();
    }

    private record Measured(List<NDArray> gradients, double norm, double scale) {}

    private Measured measure(Collection<Parameter> parameters, NDManager scope) {
        Objects.requireNonNull(scope, "scope");
        List<NDArray> gradients = new ArrayList<>(parameters.size());
        double sumOfSquares = 0;
        for (Parameter parameter : parameters) {
            if (!parameter.requiresGradient() || !parameter.isInitialized() || !parameter.getArray().hasGradient()) {
                continue;
            }
            NDArray gradient = parameter.getArray().getGradient(); // a new handle on the parameter's gradient
            gradient.attach(scope);                                // so it is freed with the step
            gradients.add(gradient);
            // One read of the gradient, no temporary (lands in scope); computed in the gradient's type, read as a double.
            double norm = gradient.norm().toType(DataType.FLOAT64, false).getDouble();
            sumOfSquares += norm * norm;
        }
        double norm = Math.sqrt(sumOfSquares);
        double scale = maxNorm / (norm + epsilon);
        return new Measured(gradients, norm, Double.isFinite(norm) && scale < 1.0 ? scale : 1.0);
    }

    @Override
    public String toString() {
        return "GlobalNormClipping[maxNorm=" + maxNorm + ", epsilon=" + epsilon + "]";
    }

    /** {@code setMaxNorm} is required; {@code optEpsilon} defaults to {@value #DEFAULT_EPSILON}. */
    public static final class Builder {
        private double maxNorm = Double.NaN;
        private double epsilon = DEFAULT_EPSILON;

        Builder() {
        }

        /** The largest global norm left after clipping (&gt; 0); 5 is common for LSTM captioners. */
        public Builder setMaxNorm(double maxNorm) {
            this.maxNorm = maxNorm;
            return this;
        }

        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        public GlobalNormClipping build() {
            if (Double.isNaN(maxNorm)) {
                throw new IllegalStateException("setMaxNorm is required");
            }
            return new GlobalNormClipping(maxNorm, epsilon);
        }
    }
}
