/**
 * Trained models as files and the library's front door: {@link dev.captioner.decoder.model.ModelPackage}
 * (a folder or zip holding config.json, vocab.json, decoder.safetensors and the encoder's files, checked
 * on load; written by {@link dev.captioner.decoder.model.PackageWriter}), and
 * {@link dev.captioner.decoder.model.Captioner}, which captions image files with a package, or an ensemble
 * of packages, through a DJL predictor for the encoder ({@code ImageTranslator}) and the search in Java.
 */
package dev.captioner.decoder.model;
