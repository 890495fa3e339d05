package dev.captioner.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Means that numpy 2.4 printed (as {@code float.hex}) for {@code [1/(i+1) + 0.1*i for i in range(n)]}. */
class NumpyMeanTest {

    @ParameterizedTest(name = "n = {0}")
    @CsvSource({
        "5,    0x1.50369d0369d04p-1",
        "100,  0x1.401eb32ec6925p+2",
        "1000, 0x1.8fa8ee247dee1p+5", // a left-to-right sum gives 0x1.8fa8ee247dee5p+5
        "5000, 0x1.f3e754ce9da39p+7", // a left-to-right sum gives 0x1.f3e754ce9da23p+7
    })
    void matchesNumpyToTheBit(int n, String numpyMean) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = 1.0 / (i + 1) + 0.1 * i;
        }
        assertEquals(Double.parseDouble(numpyMean), NumpyMean.of(values));
    }

    @ParameterizedTest(name = "n = {0}")
    @CsvSource({"1000", "5000"})
    void differsFromALeftToRightSumWhereNumpyDoes(int n) {
        double[] values = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            values[i] = 1.0 / (i + 1) + 0.1 * i;
            sum += values[i];
        }
        assertNotEquals(sum / n, NumpyMean.of(values));
    }
}
