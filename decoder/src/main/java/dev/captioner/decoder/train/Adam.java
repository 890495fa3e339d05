package dev.captioner.decoder.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015), written out so that its moments can be saved in a checkpoint and restored:
 * DJL's own optimizer keeps them private, so a resumed run would restart them from zero.
 *
 * <pre>
 *   m_t = b1 m_{t-1} + (1 - b1) g          v_t = b2 v_{t-1} + (1 - b2) g^2
 *   p  -= lr * (m_t / (1 - b1^t)) / (sqrt(v_t / (1 - b2^t)) + eps)
 * </pre>
 * as torch.optim.Adam without weight decay or AMSGrad.
 */
public final class Adam {
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private long steps;

    public Adam(float beta1, float beta2, float epsilon) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** torch's defaults: betas (0.9, 0.999), eps 1e-8. */
    public static Adam standard() {
        return new Adam(0.9f, 0.999f, 1e-8f);
    }

    /** Steps taken so far (t). */
    public long steps() {
        return steps;
    }

    /**
     * One update of every parameter that has a gradient, in place; the gradients are then zeroed. Gradient handles and temporaries are
     * attached to {@code scope}; the moments live in {@code moments}, the manager that outlives the steps.
     */
    public void step(Map<String, Parameter> parameters, float learningRate, NDManager scope, NDManager moments) {
        step(parameters, learningRate, 1f, scope, moments);
    }

    /**
     * As {@link #step(Map, float, NDManager, NDManager)}, on the gradients scaled by {@code gradientScale}: the
     * factor of global-norm clipping ({@link GlobalNormClipping#scale}) applied here saves a pass over every
     * gradient.
     */
    public void step(Map<String, Parameter> parameters, float learningRate, float gradientScale, NDManager scope, NDManager moments) {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        // torch's update  p -= (lr / c1) m / (sqrt(v) / sqrt(c2) + eps)  written as  p -= m / d  with
        // d = (sqrt(v) + eps sqrt(c2)) c1 / (lr sqrt(c2)): the same number, two passes fewer.
        float denominatorShift = (float) (epsilon * Math.sqrt(correction2));
        float denominatorScale = (float) (correction1 / (learningRate * Math.sqrt(correction2)));
        // The gradient is scratch from here on (it is zeroed at the end), so it is scaled in place:
        // g1 = (1 - b1) s g feeds m, then g1 * g1 * (1 - b2) / (1 - b1)^2 = (1 - b2) s^2 g^2 feeds v.
        float firstScale = (1f - beta1) * gradientScale;
        float secondScale = (1f - beta2) / ((1f - beta1) * (1f - beta1));
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            NDArray weight = entry.getValue().getArray();
            if (!entry.getValue().requiresGradient() || !weight.hasGradient()) {
                continue;
            }
            NDArray gradient = weight.getGradient();
            gradient.attach(scope);
            NDArray m = first.computeIfAbsent(entry.getKey(), k -> moments.zeros(weight.getShape(), weight.getDataType()));
            NDArray v = second.computeIfAbsent(entry.getKey(), k -> moments.zeros(weight.getShape(), weight.getDataType()));
            gradient.muli(firstScale);
            m.muli(beta1).addi(gradient); // m_t = b1 m + (1 - b1) g
            gradient.muli(gradient).muli(secondScale);
            v.muli(beta2).addi(gradient); // v_t = b2 v + (1 - b2) g^2
            NDArray denominator = v.sqrt(); // results land in the receiver's manager: move it into the step's scope
            denominator.attach(scope);
            denominator.addi(denominatorShift).muli(denominatorScale);
            NDArray update = m.div(denominator);
            update.attach(scope);
            weight.subi(update);
            gradient.muli(0f); // libtorch accumulates gradients: the next backward starts from zero
        }
    }

    /** The moments and the step count, for a checkpoint: arrays named {@code m:NAME} and {@code v:NAME}, and {@code t}. */
    public NDList state(NDManager manager) {
        NDList state = new NDList();
        NDArray t = manager.create(new long[] {steps});
        t.setName("t");
        state.add(t);
        for (String name : first.keySet()) {
            NDArray m = first.get(name).duplicate();
            m.setName("m:" + name);
            m.attach(manager);
            NDArray v = second.get(name).duplicate();
            v.setName("v:" + name);
            v.attach(manager);
            state.add(m);
            state.add(v);
        }
        return state;
    }

    /** Restores what {@link #state} saved; the arrays are copied into {@code moments}. */
    public void restore(NDList state, NDManager moments) {
        first.clear();
        second.clear();
        List<NDArray> arrays = new ArrayList<>(state);
        for (NDArray array : arrays) {
            String name = array.getName();
            if ("t".equals(name)) {
                steps = array.toLongArray()[0];
            } else if (name.startsWith("m:")) {
                NDArray copy = array.duplicate();
                copy.attach(moments);
                first.put(name.substring(2), copy);
            } else if (name.startsWith("v:")) {
                NDArray copy = array.duplicate();
                copy.attach(moments);
                second.put(name.substring(2), copy);
            }
        }
    }
}
