/**
 * Recurrent caption decoders as DJL blocks: LSTM and GRU, plain ("Show and Tell", Vinyals et al. 2015)
 * and with soft spatial attention ("Show, Attend and Tell", Xu et al. 2015), trained through time with
 * teacher forcing or scheduled sampling (Bengio et al. 2015).
 */
package dev.captioner.decoder;
