/**
 * Caption search over any decoder, batched over images: {@link dev.captioner.decoder.search.GreedySearch},
 * {@link dev.captioner.decoder.search.BeamSearch} (n-best, length normalisation, unfinished fallbacks) and
 * {@link dev.captioner.decoder.search.SampledSearch} (temperature, top-k, seeded). Each drives a
 * {@link dev.captioner.decoder.search.SearchModel}: one decoder ({@code SearchModel.of(decoder)}) or an
 * {@link dev.captioner.decoder.search.Ensemble} that averages its members' next-word distributions in
 * probability space. Every step runs in its own NDManager scope, so memory stays flat over a search.
 */
package dev.captioner.decoder.search;
