/**
 * Trained models as files and the library's front door: {@link dev.captioner.decoder.model.ModelPackage}
 * (a folder or zip holding config.json, vocab.json, decoder.safetensors and the encoder's files, checked
 * on load; written by {@link dev.captioner.decoder.model.PackageWriter}), and
 * {@link dev.captioner.decoder.model.Captioner}, which captions image files with a package through a DJL
 * predictor and {@link dev.captioner.decoder.model.CaptionTranslator}.
 */
package dev.captioner.decoder.model;
