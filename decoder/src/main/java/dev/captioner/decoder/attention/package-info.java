/**
 * Soft spatial attention of "Show, Attend and Tell" (Xu et al. 2015): {@link
 * dev.captioner.decoder.attention.SoftAttention} (additive scores, softmax over the grid, the weighted
 * context) and {@link dev.captioner.decoder.attention.ContextGate} (the gate beta that scales the
 * context).
 */
package dev.captioner.decoder.attention;
