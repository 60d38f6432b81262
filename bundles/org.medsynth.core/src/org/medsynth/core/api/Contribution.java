package org.medsynth.core.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a contribution declares in its plugin.xml, read without loading its class: the catalog, {@code list},
 * {@code info}, the GUI wizard and the run record all come from this.
 *
 * @param kind        which extension point it came from
 * @param id          globally unique id
 * @param name        display name
 * @param description one paragraph, may be empty
 * @param version     method version (declared, or the contributing bundle's version)
 * @param bundle      symbolic name of the contributing bundle
 * @param attributes  the other declared attributes (specialty, modality, task, kind, extensions, ...)
 * @param parameters  declared parameters, in declaration order
 */
public record Contribution(Kind kind, String id, String name, String description, String version, String bundle,
        Map<String, String> attributes, List<ParameterSpec> parameters) {

    public enum Kind {
        GENERATOR("generators", "generator"),
        EVALUATOR("evaluators", "evaluator"),
        FORMAT("datasets", "format"),
        ADAPTER("datasets", "adapter"),
        TRAINER("trainers", "trainer"),
        DEMO("demos", "demo");

        private final String extensionPoint;
        private final String element;

        Kind(String extensionPoint, String element) {
            this.extensionPoint = extensionPoint;
            this.element = element;
        }

        /** Fully qualified extension point id. */
        public String extensionPointId() {
            return "org.medsynth.core." + extensionPoint;
        }

        /** Name of the configuration element inside the extension. */
        public String element() {
            return element;
        }
    }

    public Contribution {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        name = Objects.requireNonNullElse(name, id);
        description = Objects.requireNonNullElse(description, "");
        version = Objects.requireNonNullElse(version, "");
        bundle = Objects.requireNonNullElse(bundle, "");
        attributes = Map.copyOf(Objects.requireNonNullElse(attributes, Map.of()));
        parameters = List.copyOf(Objects.requireNonNullElse(parameters, List.of()));
    }

    public String attribute(String key) {
        return attributes.getOrDefault(key, "");
    }

    public String specialty() {
        return attribute("specialty");
    }

    public String modality() {
        return attribute("modality");
    }

    /**
     * The task of a generator, the kind of an evaluator ("paired", ...), the file endings of a format, the patterns of
     * an adapter, the generator a trainer trains, or the generators a demonstration runs.
     */
    public String task() {
        return switch (kind) {
            case GENERATOR -> attribute("task");
            case EVALUATOR -> attribute("kind");
            case FORMAT -> attribute("extensions");
            case ADAPTER -> attribute("patterns");
            case TRAINER -> attribute("generator");
            case DEMO -> attribute("generators");
        };
    }

    public ParameterValues resolve(Map<String, String> given) {
        return ParameterValues.resolve(parameters, given);
    }
}
