/**
 * Image preprocessing with OpenCV: {@link dev.captioner.encoder.image.ImageDecoder} turns a JPEG, PNG, BMP
 * or WebP file into an upright 8-bit RGB Mat, checking size limits from the header before decoding and
 * refusing bad files with one-line messages; {@link dev.captioner.encoder.image.ImagePreprocessor}
 * resizes, centre-crops and normalises it into the (3, S, S) or (B, 3, S, S) float32 NDArray an
 * ImageNet-trained encoder expects.
 */
package dev.captioner.encoder.image;
