/**
 * The on-disk feature cache: the encoder runs once per image, and training reads the grid (L, D) and
 * pooled (D) features many times from memory-mapped files, never holding them all on the heap.
 *
 * <ul>
 *   <li>{@link dev.captioner.encoder.cache.FeatureCache}: the cache folder ({@code cache.json},
 *       {@code features.bin}, {@code index.bin}), its writing, crash-safe commits and reading.
 *   <li>{@link dev.captioner.encoder.cache.CacheLayout}: grid, channels, dtype and encoder spec of the
 *       records, checked when a cache is reopened.
 *   <li>{@link dev.captioner.encoder.cache.StorageType}: float32 or float16 on disk.
 *   <li>{@link dev.captioner.encoder.cache.HalfFloat}: float16 conversions for Java 17.
 * </ul>
 */
package dev.captioner.encoder.cache;
