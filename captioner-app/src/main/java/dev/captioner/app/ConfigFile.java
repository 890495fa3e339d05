package dev.captioner.app;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.captioner.data.AtomicFile;
import dev.captioner.data.DataFormatException;
import dev.captioner.data.JsonOutput;
import dev.captioner.data.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command's options as a JSON file ({@code --config FILE}): one object whose keys are the long option
 * names without their dashes, e.g. {@code {"hidden-size": 512, "attention": true, "cell": "gru"}}.
 * Values have the option's JSON type: numbers, {@code true}/{@code false} for flags (a negatable flag
 * such as {@code --[no-]attention} is the one key {@code attention}), strings for text, enums and paths;
 * a relative path is relative to the file's folder. Reading is strict: an unknown or repeated key or a
 * value of the wrong type is a {@link DataFormatException} naming the file, line and column.
 *
 * <p>Options given on the command line win: {@link #applyTo} sets only the options the command line
 * left out. {@link #write} writes a command's current option values in the same format.
 */
final class ConfigFile {
    /** One key of the file: the option it sets, its value (of the option's type) and where it stands. */
    private record Entry(OptionSpec option, Object value, long line, long column) {}

    private final Path file;
    private final Map<String, Entry> entries;

    private ConfigFile(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /**
     * Reads {@code file} against the options of {@code command}.
     *
     * @param invocationOnly long names (without dashes) that belong on the command line only, e.g. {@code config}
     */
    static ConfigFile read(Path file, CommandSpec command, Set<String> invocationOnly) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (JsonReader in = JsonReader.open(file)) {
            in.startObject("the top level of a config file");
            String key;
            while ((key = in.nextField()) != null) {
                long line = in.line();
                long column = in.column();
                OptionSpec option = command.findOption("--" + key);
                if (option == null || !option.longestName().equals("--" + key) || option.usageHelp() || option.versionHelp()) {
                    throw new DataFormatException(file, line, column, "unknown key \"" + key + "\": not an option of '"
                            + command.qualifiedName() + "' (keys are the long option names without dashes)");
                }
                if (invocationOnly.contains(key)) {
                    throw new DataFormatException(file, line, column, "\"" + key + "\" belongs on the command line (--" + key
                            + "), not in a config file");
                }
                if (entries.containsKey(key)) {
                    throw new DataFormatException(file, line, column, "\"" + key + "\" appears twice");
                }
                entries.put(key, new Entry(option, readValue(in, key, option.type(), file), line, column));
            }
            in.expectEnd();
        }
        return new ConfigFile(file, entries);
    }

    /** Sets every option of the file that is not in {@code givenOnCommandLine} (long names without dashes). */
    void applyTo(Set<String> givenOnCommandLine) {
        entries.forEach((key, entry) -> {
            if (!givenOnCommandLine.contains(key)) {
                entry.option().setValue(entry.value());
            }
        });
    }

    /** The value the file gives {@code key}, of its option's type; null where it gives none. */
    Object value(String key) {
        Entry entry = entries.get(key);
        return entry == null ? null : entry.value();
    }

    /** The keys the file sets. */
    Set<String> keys() {
        return entries.keySet();
    }

    /** A problem with the value of {@code key}, at its place in the file. */
    DataFormatException error(String key, String problem) {
        Entry entry = entries.get(key);
        return new DataFormatException(file, entry.line(), entry.column(), "\"" + key + "\" " + problem);
    }

    /**
     * Writes the current values of {@code command}'s options (except {@code leaveOut} and those without a
     * value) as a config file: paths absolute, enums in lower case. Returns the text; writes it to
     * {@code file} too unless that is null.
     */
    static String write(CommandSpec command, Set<String> leaveOut, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JsonOutput.generator(bytes)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            for (OptionSpec option : command.options()) {
                String key = option.longestName().replaceFirst("^--", "");
                Object value = option.getValue();
                if (value == null || option.usageHelp() || option.versionHelp() || leaveOut.contains(key)) {
                    continue;
                }
                json.writeFieldName(key);
                if (value instanceof Boolean b) {
                    json.writeBoolean(b);
                } else if (value instanceof Integer || value instanceof Long) {
                    json.writeNumber(((Number) value).longValue());
                } else if (value instanceof Float f) {
                    json.writeNumber(f);
                } else if (value instanceof Double d) {
                    json.writeNumber(d);
                } else if (value instanceof Path p) {
                    json.writeString(p.toAbsolutePath().normalize().toString());
                } else if (value instanceof Enum<?> e) {
                    json.writeString(e.name().toLowerCase(Locale.ROOT));
                } else {
                    json.writeString(value.toString());
                }
            }
            json.writeEndObject();
        }
        String text = bytes.toString(StandardCharsets.UTF_8) + System.lineSeparator();
        if (file != null) {
            AtomicFile.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        }
        return text;
    }

    /** The next value, as the option's type. */
    private static Object readValue(JsonReader in, String key, Class<?> type, Path file) throws IOException {
        if (type == boolean.class || type == Boolean.class) {
            return in.readBoolean(key);
        }
        if (type == int.class || type == Integer.class) {
            return in.readInt(key);
        }
        if (type == long.class || type == Long.class) {
            return in.readLong(key);
        }
        if (type == float.class || type == Float.class) {
            double value = in.readDouble(key);
            if (Math.abs(value) > Float.MAX_VALUE) {
                throw in.error("\"" + key + "\" is out of range: " + value);
            }
            return (float) value;
        }
        if (type == double.class || type == Double.class) {
            return in.readDouble(key);
        }
        if (type == Path.class) {
            return file.toAbsolutePath().getParent().resolve(in.readString(key));
        }
        if (type.isEnum()) {
            String text = in.readString(key);
            StringBuilder names = new StringBuilder();
            for (Object constant : type.getEnumConstants()) {
                String name = ((Enum<?>) constant).name();
                if (name.equalsIgnoreCase(text.strip())) {
                    return constant;
                }
                names.append(names.length() == 0 ? "" : ", ").append(name.toLowerCase(Locale.ROOT));
            }
            throw in.error("\"" + key + "\" must be one of " + names + ", not \"" + text + "\"");
        }
        if (type == String.class) {
            return in.readString(key);
        }
        throw in.error("\"" + key + "\" cannot be set in a config file");
    }
}
