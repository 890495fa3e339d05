/**
 * The COCO caption metrics, computed exactly as the COCO caption evaluation code (pycocoevalcap,
 * tylin/coco-caption) computes them, so that the numbers can be compared with published ones:
 * {@link dev.captioner.metrics.Bleu} (BLEU-1..4), {@link dev.captioner.metrics.RougeL} (ROUGE-L) and
 * {@link dev.captioner.metrics.CiderD} (the scorer COCO calls "CIDEr", which is CIDEr-D).
 * {@link dev.captioner.metrics.CaptionEvaluation} scores a set with all of them at once.
 *
 * <p>Captions are expected already tokenised and lowercased (COCO runs the PTB tokenizer first); no
 * tokenizer is applied here. Every score is relative to the set being scored: BLEU sums its statistics
 * over the set and CIDEr-D takes its document frequencies from the set's references.
 */
package dev.captioner.metrics;
