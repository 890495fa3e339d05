/**
 * Scheduled sampling (Bengio et al. 2015): the teacher-forcing probability ε as a schedule over training
 * ({@link dev.captioner.decoder.sampling.ScheduledSampling}), the per-token coin flips that apply it to a
 * batch ({@link dev.captioner.decoder.sampling.TeacherForcingMask}) and how the model's own token is
 * chosen ({@link dev.captioner.decoder.sampling.SamplingMode}). The decoder only sees "feed ground truth
 * here or not".
 */
package dev.captioner.decoder.sampling;
