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
        steps++;
        float correction1 = 1f - (float) Math.pow(beta1, steps);
        float correction2 = 1f - (float) Math.pow(beta2, steps);
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            NDArray weight = entry.getValue().getArray();
            if (!entry.getValue().requiresGradient() || !weight.hasGradient()) {
                continue;
            }
            NDArray gradient = weight.getGradient();
            gradient.attach(scope);
            NDArray m = first.computeIfAbsent(entry.getKey(), k -> moments.zeros(weight.getShape(), weight.getDataType()));
            NDArray v = second.computeIfAbsent(entry.getKey(), k -> moments.zeros(weight.getShape(), weight.getDataType()));
            // In place where the algebra allows, since every pass over a 5M-value table costs:
            // b1 m + (1 - b1) g = b1 (m - g) + g, and likewise for v with g^2.
            m.subi(gradient).muli(beta1).addi(gradient);
            NDArray square = gradient.square(); // lands in the gradient's scope
            v.subi(square).muli(beta2).addi(square);
            // Results land in the receiver's manager: move the first one of each chain into the step's scope.
            NDArray denominator = v.div(correction2);
            denominator.attach(scope);
            denominator = denominator.sqrt().addi(epsilon);
            NDArray update = m.div(denominator);
            update.attach(scope);
            weight.subi(update.muli(learningRate / correction1));
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
