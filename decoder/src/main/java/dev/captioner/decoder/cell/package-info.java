/**
 * Recurrent cells that run one step at a time, for decoders that loop over time themselves: {@link
 * dev.captioner.decoder.cell.LstmCell} and {@link dev.captioner.decoder.cell.GruCell} compute exactly
 * PyTorch's {@code LSTMCell} and {@code GRUCell} with fused gates (one matrix product per input per
 * step), and {@link dev.captioner.decoder.cell.StackedCell} stacks them with dropout between layers.
 */
package dev.captioner.decoder.cell;
