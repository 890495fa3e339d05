package dev.captioner.data.synth;

import java.nio.file.Path;
import java.time.Duration;

/** What {@link SynthScenes#write} wrote: where, how many images per split, objects and captions, and how long it took. */
public record SynthSummary(Path directory, int images, int trainImages, int valImages, int testImages,
        long objects, long captions, Duration elapsed) {

    /** Images written per second of wall-clock time, JSON files included. */
    public double imagesPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? images / seconds : Double.POSITIVE_INFINITY;
    }
}
