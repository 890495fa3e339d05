/**
 * Training policies that the training loop consults but that know nothing of it: gradient clipping by
 * global norm ({@link dev.captioner.decoder.train.GlobalNormClipping}), learning-rate schedules
 * ({@link dev.captioner.decoder.train.LearningRateSchedule}, applied to DJL optimizers through a
 * {@link dev.captioner.decoder.train.LearningRateTracker}), early stopping
 * ({@link dev.captioner.decoder.train.EarlyStopping}) and a moving average of the weights
 * ({@link dev.captioner.decoder.train.WeightAverage}).
 */
package dev.captioner.decoder.train;
