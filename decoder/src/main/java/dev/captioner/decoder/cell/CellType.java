package dev.captioner.decoder.cell;

import java.util.Locale;

/** The kinds of recurrent cell, with their gate and state counts. */
public enum CellType {
    /** Long short-term memory: gates i, f, g, o; state (h, c). */
    LSTM(4, 2),
    /** Gated recurrent unit: gates r, z, n; state (h). */
    GRU(3, 1);

    private final int gates;
    private final int stateCount;

    CellType(int gates, int stateCount) {
        this.gates = gates;
        this.stateCount = stateCount;
    }

    /** G, the gates computed by one fused matrix product: 4 (LSTM) or 3 (GRU). */
    public int gates() {
        return gates;
    }

    /** The {@code (B, H)} arrays of one layer's state: 2 (LSTM) or 1 (GRU). */
    public int stateCount() {
        return stateCount;
    }

    /** A new cell of this kind, with PyTorch's initialisation. */
    public RecurrentCell create(int inputSize, int hiddenSize) {
        return switch (this) {
            case LSTM -> LstmCell.builder().setInputSize(inputSize).setHiddenSize(hiddenSize).build();
            case GRU -> GruCell.builder().setInputSize(inputSize).setHiddenSize(hiddenSize).build();
        };
    }

    /** The type named {@code lstm} or {@code gru}, in any case. */
    public static CellType of(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown cell type '" + name + "': expected lstm or gru", e);
        }
    }
}
