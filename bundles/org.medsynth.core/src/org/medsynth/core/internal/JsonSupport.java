package org.medsynth.core.internal;

import java.io.IOException;
import java.time.Instant;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

/** The JSON configuration of MedSynth: ISO-8601 instants, no HTML escaping. */
public final class JsonSupport {
    private static final TypeAdapter<Instant> INSTANT = new TypeAdapter<Instant>() {
                @Override
                public void write(JsonWriter out, Instant value) throws IOException {
                    if (value == null) {
                        out.nullValue();
                    } else {
                        out.value(value.toString());
                    }
                }

                @Override
                public Instant read(JsonReader in) throws IOException {
                    if (in.peek() == com.google.gson.stream.JsonToken.NULL) {
                        in.nextNull();
                        return null;
                    }
                    return Instant.parse(in.nextString());
                }
            };
    // metrics are legitimately infinite (PSNR of identical images, HD95 to an empty mask): written as JSON5-style
    // Infinity/NaN, which Python's json module and Gson read back
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls()
            .serializeSpecialFloatingPointValues().registerTypeAdapter(Instant.class, INSTANT).create();
    private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().serializeNulls()
            .serializeSpecialFloatingPointValues().registerTypeAdapter(Instant.class, INSTANT).create();

    private JsonSupport() {
    }

    /** Pretty-printed, for files people read (run records, reports). */
    public static Gson gson() {
        return GSON;
    }

    /** One line, for values embedded in other formats (header fields, text chunks, tags). */
    public static Gson compact() {
        return COMPACT;
    }
}
