package dev.captioner.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict, streaming JSON reader for the project's data files. It walks the token stream once (no tree
 * is built, so a 400k-caption COCO file costs little more heap than the captions themselves) and turns
 * every problem into a {@link DataFormatException} that names the file, line and column.
 */
public final class JsonReader implements Closeable {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final Path file;
    private final JsonParser parser;

    private JsonReader(Path file, JsonParser parser) {
        this.file = file;
        this.parser = parser;
    }

    /**
     * Opens a file that must hold UTF-8 JSON. UTF-16 and UTF-32 (which JSON parsers would otherwise
     * guess from zero bytes) are refused; a UTF-8 byte-order mark is accepted.
     */
    public static JsonReader open(Path file) throws IOException {
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        }
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (head.length == 0) {
            in.close();
            throw new DataFormatException(file, "the file is empty, expected JSON");
        }
        boolean utf16Bom = head.length >= 2 && ((head[0] == (byte) 0xFE && head[1] == (byte) 0xFF)
                || (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE));
        boolean zeroBytes = false;
        for (byte b : head) {
            zeroBytes |= b == 0;
        }
        if (utf16Bom || zeroBytes) {
            in.close();
            throw new DataFormatException(file, 1, 1, "not UTF-8 text (it looks like UTF-16 or UTF-32); save it as UTF-8");
        }
        JsonParser parser = FACTORY.createParser(in);
        return new JsonReader(file, parser);
    }

    public Path file() {
        return file;
    }

    /** Moves to the next token; end of input where a value is due is an error. */
    public JsonToken next() throws DataFormatException {
        try {
            JsonToken token = parser.nextToken();
            return token;
        } catch (JsonEOFException e) {
            throw at(e.getLocation(), "malformed JSON: the file ends early (unclosed object, array or string)");
        } catch (JsonParseException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage());
        }
    }

    /** The current token. */
    public JsonToken current() {
        return parser.currentToken();
    }

    /** Reads the next token, which must start an object. */
    public void startObject(String what) throws DataFormatException {
        if (next() != JsonToken.START_OBJECT) {
            throw error(what + " must be a JSON object, found " + describe(current()));
        }
    }

    /** Reads the next token, which must start an array. */
    public void startArray(String what) throws DataFormatException {
        if (next() != JsonToken.START_ARRAY) {
            throw error(what + " must be a JSON array, found " + describe(current()));
        }
    }

    /** Inside an object: the next field's name, or null at the object's end. */
    public String nextField() throws DataFormatException {
        JsonToken token = next();
        if (token == JsonToken.END_OBJECT) {
            return null;
        }
        if (token != JsonToken.FIELD_NAME) {
            throw error("malformed JSON: expected a field name, found " + describe(token));
        }
        try {
            return parser.currentName();
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage());
        }
    }

    /**
     * Inside an array of objects: true and positioned on the next object's start, or false at the
     * array's end.
     */
    public boolean nextObjectInArray(String what) throws DataFormatException {
        JsonToken token = next();
        if (token == JsonToken.END_ARRAY) {
            return false;
        }
        if (token != JsonToken.START_OBJECT) {
            throw error(what + " must be a JSON object, found " + describe(token));
        }
        return true;
    }

    /** Skips the value of the current field (a whole object or array where it starts one). */
    public void skipValue() throws DataFormatException {
        next();
        try {
            parser.skipChildren();
        } catch (JsonParseException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage());
        }
    }

    /** Reads a whole number; {@code field} names it in errors. */
    public long readLong(String field) throws DataFormatException {
        JsonToken token = next();
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw error("\"" + field + "\" must be a whole number, found " + describe(token));
        }
        try {
            return parser.getLongValue();
        } catch (IOException e) {
            throw error("\"" + field + "\" is out of range for a 64-bit integer");
        }
    }

    /** Reads a whole number that fits an int. */
    public int readInt(String field) throws DataFormatException {
        long value = readLong(field);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw error("\"" + field + "\" is out of range: " + value);
        }
        return (int) value;
    }

    /** Reads a number, whole or not. */
    public double readDouble(String field) throws DataFormatException {
        JsonToken token = next();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw error("\"" + field + "\" must be a number, found " + describe(token));
        }
        try {
            return parser.getDoubleValue();
        } catch (IOException e) {
            throw error("\"" + field + "\" is not a readable number");
        }
    }

    /** Reads a string. */
    public String readString(String field) throws DataFormatException {
        JsonToken token = next();
        if (token != JsonToken.VALUE_STRING) {
            throw error("\"" + field + "\" must be a string, found " + describe(token));
        }
        try {
            return parser.getText();
        } catch (JsonParseException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage());
        }
    }

    /** Reads {@code true} or {@code false}. */
    public boolean readBoolean(String field) throws DataFormatException {
        JsonToken token = next();
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw error("\"" + field + "\" must be true or false, found " + describe(token));
        }
        return token == JsonToken.VALUE_TRUE;
    }

    /** Reads an array of strings. */
    public List<String> readStringArray(String field) throws DataFormatException {
        JsonToken token = next();
        if (token != JsonToken.START_ARRAY) {
            throw error("\"" + field + "\" must be an array of strings, found " + describe(token));
        }
        List<String> values = new ArrayList<>();
        while ((token = next()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_STRING) {
                throw error("\"" + field + "\" must hold only strings, found " + describe(token));
            }
            try {
                values.add(parser.getText());
            } catch (IOException e) {
                throw new DataFormatException(file, "cannot read: " + e.getMessage());
            }
        }
        return values;
    }

    /** Reads an array of numbers. */
    public double[] readDoubleArray(String field) throws DataFormatException {
        JsonToken token = next();
        if (token != JsonToken.START_ARRAY) {
            throw error("\"" + field + "\" must be an array of numbers, found " + describe(token));
        }
        double[] values = new double[4];
        int n = 0;
        while ((token = next()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw error("\"" + field + "\" must hold only numbers, found " + describe(token));
            }
            if (n == values.length) {
                values = java.util.Arrays.copyOf(values, n * 2);
            }
            try {
                values[n++] = parser.getDoubleValue();
            } catch (IOException e) {
                throw error("\"" + field + "\" holds an unreadable number");
            }
        }
        return java.util.Arrays.copyOf(values, n);
    }

    /** After the top-level value: anything but the end of input is an error. */
    public void expectEnd() throws DataFormatException {
        JsonToken token = next();
        if (token != null) {
            throw error("malformed JSON: unexpected " + describe(token) + " after the end of the document");
        }
    }

    /** The 1-based line of the current token. */
    public long line() {
        return parser.currentTokenLocation().getLineNr();
    }

    /** The 1-based column of the current token. */
    public long column() {
        return parser.currentTokenLocation().getColumnNr();
    }

    /** A problem at the current token. */
    public DataFormatException error(String problem) {
        return at(parser.currentTokenLocation(), problem);
    }

    /** A problem at a line that was noted earlier. */
    public DataFormatException errorAtLine(long line, String problem) {
        return new DataFormatException(file, line, 0, problem);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    private DataFormatException at(JsonLocation location, String problem) {
        long line = location == null ? 0 : Math.max(0, location.getLineNr());
        long column = location == null ? 0 : Math.max(0, location.getColumnNr());
        return new DataFormatException(file, line, column, problem);
    }

    private DataFormatException malformed(JsonParseException e) {
        String original = e.getOriginalMessage();
        String problem;
        if (original != null && original.contains("Invalid UTF-8")) {
            problem = "not valid UTF-8 text (" + firstSentence(original) + "); save the file as UTF-8";
        } else {
            problem = "malformed JSON: " + firstSentence(original);
        }
        return at(e.getLocation(), problem);
    }

    /** Jackson's messages run over several lines and quote source snippets; keep the first clause. */
    private static String firstSentence(String message) {
        if (message == null) {
            return "unreadable input";
        }
        String line = message.strip().lines().findFirst().orElse("");
        int cut = line.indexOf(": was expecting");
        if (cut < 0) {
            cut = line.indexOf(" (for ");
        }
        return (cut > 0 ? line.substring(0, cut) : line).replaceAll("\\s+", " ");
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the file";
        }
        switch (token) {
            case START_OBJECT: return "an object";
            case START_ARRAY: return "an array";
            case END_OBJECT: return "the end of an object";
            case END_ARRAY: return "the end of an array";
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT: return "a whole number";
            case VALUE_NUMBER_FLOAT: return "a decimal number";
            case VALUE_TRUE: case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            case FIELD_NAME: return "a field name";
            default: return token.toString();
        }
    }
}
