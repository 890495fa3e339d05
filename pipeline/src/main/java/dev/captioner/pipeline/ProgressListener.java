package dev.captioner.pipeline;

/**
 * How a long job of the library says how far it is. The library prints nothing itself: the command line
 * draws progress bars on standard error, a service may log or count, a test may stay silent
 * ({@link #SILENT}).
 */
public interface ProgressListener {
    /** Reports nothing. */
    ProgressListener SILENT = (task, total, done, unit) -> Task.NONE;

    /**
     * A task of {@code total} units starts, {@code done} of them finished earlier (a resumed job), e.g.
     * ("features", 1200, 0, "img"). Close the task when the work ends.
     */
    Task start(String task, long total, long done, String unit);

    /** A line for the person running the job: counts, validation scores, where results went. Ignored by default. */
    default void note(String line) { }

    /** A problem that did not stop the job, e.g. an image that could not be read and was left out. Ignored by default. */
    default void warn(String line) { }

    /** One task under way. */
    interface Task extends AutoCloseable {
        /** A task that reports nothing. */
        Task NONE = new Task() {
            @Override
            public void stepBy(long units) { }

            @Override
            public void stepTo(long units) { }

            @Override
            public void close() { }
        };

        /** {@code units} more are done. */
        void stepBy(long units);

        /** {@code units} are done in all. */
        void stepTo(long units);

        /** The task's total is now {@code total}, e.g. when another worker took part of the work. Ignored by default. */
        default void resize(long total) { }

        /** A word or two beside the count, e.g. the loss; ignored where there is no room for it. */
        default void extra(String message) { }

        @Override
        void close();
    }
}
