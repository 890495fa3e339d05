/**
 * The image encoder: a CNN (ResNet or VGG family) on DJL's PyTorch engine that turns an image into a
 * spatial grid of features (B, L, D) for soft attention and a pooled vector (B, D) for the plain
 * decoder, both from one pass; OpenCV preprocessing; the on-disk feature cache.
 */
package dev.captioner.encoder;
