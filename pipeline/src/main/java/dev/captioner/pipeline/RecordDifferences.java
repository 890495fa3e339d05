package dev.captioner.pipeline;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How two records of one type differ, component by component, nested records included: what a resumed
 * run ({@code train --resume}, a rerun of {@code compare}) checks against the options it is given.
 */
public final class RecordDifferences {
    private RecordDifferences() {}

    /** One entry per differing component: {@code decoder.hiddenSize 512 there, 256 here}. */
    public static List<String> between(Record there, Record here) {
        List<String> out = new ArrayList<>();
        collect(there, here, "", out);
        return out;
    }

    private static void collect(Record there, Record here, String prefix, List<String> out) {
        for (RecordComponent component : there.getClass().getRecordComponents()) {
            try {
                Object a = component.getAccessor().invoke(there);
                Object b = component.getAccessor().invoke(here);
                if (a instanceof Record ra && b instanceof Record rb) {
                    collect(ra, rb, prefix + component.getName() + ".", out);
                } else if (!Objects.equals(a, b)) {
                    out.add(prefix + component.getName() + " " + a + " there, " + b + " here");
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
