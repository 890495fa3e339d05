package dev.captioner.decoder.cell;

/**
 * The settings every cell needs: the input size X and the hidden size H, both required.
 *
 * @param <T> the concrete builder
 */
public abstract class CellBuilder<T extends CellBuilder<T>> {

    int inputSize = -1;
    int hiddenSize = -1;

    CellBuilder() {}

    /** Sets X, the size of the input x_t (required). */
    public T setInputSize(int inputSize) {
        this.inputSize = positive("inputSize", inputSize);
        return self();
    }

    /** Sets H, the size of the hidden state (required). */
    public T setHiddenSize(int hiddenSize) {
        this.hiddenSize = positive("hiddenSize", hiddenSize);
        return self();
    }

    abstract T self();

    void requireSizes(String what) {
        if (inputSize < 0 || hiddenSize < 0) {
            throw new IllegalStateException(what + " needs setInputSize and setHiddenSize");
        }
    }

    static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }
}
