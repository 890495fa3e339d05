package dev.captioner.decoder.attention;

import ai.djl.ndarray.NDArray;

/**
 * What one attention step yields.
 *
 * @param context z_t = sum_i alpha_ti a_i, (B, D)
 * @param alpha the attention weights over the L locations, each row sums to 1, (B, L)
 */
public record Attended(NDArray context, NDArray alpha) {}
