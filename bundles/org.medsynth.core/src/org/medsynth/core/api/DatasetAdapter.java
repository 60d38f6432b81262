package org.medsynth.core.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Contract of an {@code <adapter>} in the {@code org.medsynth.core.datasets} extension point: a dataset layout. */
public interface DatasetAdapter {
    /** One case of a dataset: an id (patient-level where known), its image files and its conditions. */
    record DatasetCase(String id, String patientId, List<Path> images, java.util.Map<String, String> conditions) {
    }

    /** Whether this layout recognises {@code root}. */
    boolean accepts(Path root);

    List<DatasetCase> open(Path root, ParameterValues parameters) throws IOException;
}
