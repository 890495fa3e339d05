package dev.captioner.decoder.train;

import ai.djl.training.tracker.Tracker;

/**
 * A DJL {@link Tracker} whose value a {@link LearningRateSchedule} sets, so a DJL optimizer follows the
 * schedule: {@code Optimizer.adam().optLearningRateTracker(tracker)}. DJL asks for
 * {@link #getNewValue(int)} at every update; this returns the last value {@link #set}, whatever the
 * update count. The value is volatile, so a setter on another thread is seen at the next update.
 */
public final class LearningRateTracker implements Tracker {
    private volatile float value;

    /** Starts at {@code initialRate} (&gt; 0). */
    public LearningRateTracker(double initialRate) {
        set(initialRate);
    }

    /** The rate the optimizer will read next (&gt; 0; stored as a float, as DJL reads it). */
    public void set(double rate) {
        Rates.checkRate("the learning rate", rate);
        value = (float) rate;
    }

    /** The current rate. */
    public float get() {
        return value;
    }

    @Override
    public float getNewValue(int numUpdate) {
        return value;
    }

    @Override
    public String toString() {
        return "LearningRateTracker[" + value + "]";
    }
}
