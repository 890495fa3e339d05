/**
 * Trained models as files and the library's front door: {@link dev.captioner.pipeline.model.ModelPackage}
 * (a folder or zip holding config.json, vocab.json, decoder.safetensors and the encoder's files, checked
 * on load; written by {@link dev.captioner.pipeline.model.PackageWriter}), and
 * {@link dev.captioner.pipeline.model.Captioner}, which captions image files with a package, or an ensemble
 * of packages, through a DJL predictor for the encoder ({@code ImageTranslator}) and the search in Java.
 */
package dev.captioner.pipeline.model;
