package dev.captioner.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class MallocTuningTest {

    @Test
    void glibcTakesTheSettingsUnlessTurnedOff() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"), "not Linux: no glibc to tune");
        String before = System.getProperty("captioner.malloc-tuning");
        try {
            System.setProperty("captioner.malloc-tuning", "false");
            assertFalse(MallocTuning.apply(), "turned off by the property");
            System.clearProperty("captioner.malloc-tuning");
            assertTrue(MallocTuning.apply(), "glibc's mallopt accepts every setting");
        } finally {
            if (before == null) {
                System.clearProperty("captioner.malloc-tuning");
            } else {
                System.setProperty("captioner.malloc-tuning", before);
            }
        }
    }
}
