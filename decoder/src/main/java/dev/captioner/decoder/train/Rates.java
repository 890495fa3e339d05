package dev.captioner.decoder.train;

/** Argument checks shared by the learning-rate schedules. */
final class Rates {
    private Rates() {
    }

    static void checkRate(String what, double rate) {
        if (!(rate > 0 && rate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(what + " must be a finite number above 0, got " + rate);
        }
    }

    static void checkMinRate(double minRate) {
        if (!(minRate >= 0 && minRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("the minimum learning rate must be a finite number at least 0, got " + minRate);
        }
    }

    static void checkFactor(double factor) {
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("the decay factor must be in (0, 1), got " + factor);
        }
    }

    static void checkEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("the epoch must be at least 0, got " + epoch);
        }
    }
}
