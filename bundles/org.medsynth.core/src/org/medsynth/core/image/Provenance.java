package org.medsynth.core.image;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.medsynth.core.internal.JsonSupport;

/**
 * How an image was made. Every image a generator produces carries one, with {@code synthetic = true}; format
 * adapters write it wherever the format can carry it (DICOM tags, NIfTI extension, PNG text chunk, MetaImage
 * header). Acquired images read from disk have {@link #acquired()}.
 *
 * @param synthetic       true for any image a model or simulator produced
 * @param generatorId     contribution id of the generator, e.g. {@code phantom.shepp-logan}
 * @param generatorVersion version of the method (bundle version unless declared)
 * @param modelCardId     id of the model card of the weights used, or empty for weight-free methods
 * @param weightSha256    sha256 of the weight file used, or empty
 * @param seed            random seed the run used
 * @param parameters      every parameter value, defaults included, as text
 * @param inputIds        identifiers (file name and sha256) of the inputs
 * @param softwareVersion MedSynth version that made it
 * @param created         when it was made (UTC)
 */
public record Provenance(boolean synthetic, String generatorId, String generatorVersion, String modelCardId,
        String weightSha256, long seed, Map<String, String> parameters, List<String> inputIds, String softwareVersion,
        Instant created) {

    public Provenance {
        Objects.requireNonNull(generatorId, "generatorId");
        generatorVersion = Objects.requireNonNullElse(generatorVersion, "");
        modelCardId = Objects.requireNonNullElse(modelCardId, "");
        weightSha256 = Objects.requireNonNullElse(weightSha256, "");
        parameters = Map.copyOf(new TreeMap<>(Objects.requireNonNullElse(parameters, Map.of())));
        inputIds = List.copyOf(Objects.requireNonNullElse(inputIds, List.of()));
        softwareVersion = Objects.requireNonNullElse(softwareVersion, "");
        Objects.requireNonNull(created, "created");
    }

    /** The provenance of an image that was read from an acquisition, not made by MedSynth. */
    public static Provenance acquired() {
        return new Provenance(false, "acquired", "", "", "", 0, Map.of(), List.of(), "", Instant.EPOCH);
    }

    /** One-line human-readable statement, for burned-in annotations and image comments. */
    public String summary() {
        if (!synthetic) {
            return "acquired image";
        }
        StringBuilder sb = new StringBuilder("SYNTHETIC image made by MedSynth ").append(softwareVersion)
                .append(" generator ").append(generatorId).append(' ').append(generatorVersion)
                .append(" seed ").append(seed);
        if (!modelCardId.isEmpty()) {
            sb.append(" model ").append(modelCardId).append(" sha256 ").append(weightSha256);
        }
        return sb.toString();
    }

    /** One-line JSON, the form every format adapter embeds. */
    public String toJson() {
        return JsonSupport.compact().toJson(this);
    }

    public static Provenance fromJson(String json) {
        Provenance p = JsonSupport.compact().fromJson(json, Provenance.class);
        if (p == null) {
            throw new IllegalArgumentException("empty provenance JSON");
        }
        return new Provenance(p.synthetic, p.generatorId, p.generatorVersion, p.modelCardId, p.weightSha256, p.seed,
                p.parameters, p.inputIds, p.softwareVersion, p.created);
    }
}
