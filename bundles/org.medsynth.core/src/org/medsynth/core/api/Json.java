package org.medsynth.core.api;

import org.medsynth.core.internal.JsonSupport;

/** JSON text of MedSynth's records (run records, results, provenance) without exposing the JSON library. */
public final class Json {
    private Json() {
    }

    /** Pretty-printed, for files and output people read. */
    public static String pretty(Object value) {
        return JsonSupport.gson().toJson(value);
    }

    /** On one line, for values embedded in other formats. */
    public static String compact(Object value) {
        return JsonSupport.compact().toJson(value);
    }

    public static <T> T parse(String json, Class<T> type) {
        return JsonSupport.compact().fromJson(json, type);
    }
}
