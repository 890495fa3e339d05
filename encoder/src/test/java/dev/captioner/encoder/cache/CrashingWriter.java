package dev.captioner.encoder.cache;

import java.nio.file.Path;

/** The child process of {@link FeatureCacheCrashTest}: writes images 0, 1, 2, ... until it is killed. */
final class CrashingWriter {
    static final int COMMIT_EVERY = 5;

    private CrashingWriter() {}

    public static void main(String[] args) throws Exception {
        try (FeatureCache cache = FeatureCache.create(Path.of(args[0]), FeatureCacheCrashTest.LAYOUT, COMMIT_EVERY)) {
            int reported = 0;
            for (long id = 0; id < 1_000_000; id++) {
                TestFeatures.put(cache, id);
                if (cache.committedSize() != reported) {
                    reported = cache.committedSize();
                    System.out.println("committed " + reported);
                    System.out.flush();
                }
            }
        }
    }
}
