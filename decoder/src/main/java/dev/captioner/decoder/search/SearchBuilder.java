package dev.captioner.decoder.search;

/**
 * What the builders of every search share: the maximum and minimum caption length and whether the
 * attention weights are kept.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class SearchBuilder<B extends SearchBuilder<B>> {
    int maxLength = -1;
    int minLength;
    boolean keepAlphas = true;

    abstract B self();

    /** The most tokens a caption may have, {@code <end>} included (required, at least 1). */
    public B setMaxLength(int maxLength) {
        this.maxLength = Searches.positive("the maximum length", maxLength);
        return self();
    }

    /**
     * The fewest words a caption may have (default 0): {@code <end>} is banned (its logit set to -inf)
     * at the steps before. With the maximum length, no caption ends early and every one runs all steps.
     */
    public B optMinLength(int minLength) {
        this.minLength = minLength;
        return self();
    }

    /** Whether to read back the attention weights of every word (default true). */
    public B optAlphas(boolean keepAlphas) {
        this.keepAlphas = keepAlphas;
        return self();
    }
}
