package org.medsynth.data.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import net.imglib2.util.Intervals;

import org.eclipse.core.runtime.CoreException;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.DatasetAdapter;
import org.medsynth.core.api.DatasetAdapter.DatasetCase;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;

/**
 * A dataset as a layout described it: its cases (paths and conditions only, nothing decoded) and the reading of one
 * case's images on demand through the installed image formats. The roles of a case's files are named by its
 * {@value #ROLES} condition, e.g. {@code image,mask} or {@code a,b}; a case without it is one image, read from its
 * one file or, when it has several, as one DICOM series.
 */
public final class Dataset {
    /** Condition naming the roles of {@link DatasetCase#images()}, comma-separated, in the same order. */
    public static final String ROLES = "images";
    /** The role of the one image of a case whose files are the slices of one DICOM series. */
    public static final String SERIES = "series";
    /** The role of a case's only image when its layout names none. */
    public static final String IMAGE = "image";

    private final Path root;
    private final List<DatasetCase> cases;
    private final ImageFormats formats;

    /**
     * @throws IllegalArgumentException if two cases share an id or a case names more or fewer roles than it has files
     */
    public Dataset(Path root, List<DatasetCase> cases, ImageFormats formats) {
        this.root = root;
        this.cases = List.copyOf(cases);
        this.formats = formats;
        Map<String, DatasetCase> seen = new HashMap<>();
        for (DatasetCase c : this.cases) {
            if (seen.put(c.id(), c) != null) {
                throw new IllegalArgumentException(root + ": two cases have the id '" + c.id() + "'");
            }
            roles(c);
        }
    }

    /**
     * Opens {@code root} with the installed adapter {@code adapterId}; {@code parameters} (name → text) are checked
     * against its declaration, defaults filled.
     *
     * @throws CoreException if no such adapter is installed or it fails unexpectedly
     * @throws IOException   the adapter's verdict on the data, naming the file and the problem
     */
    public static Dataset open(String adapterId, Path root, Map<String, String> parameters)
            throws IOException, CoreException {
        Contributions contributions = Contributions.get();
        Contribution adapter = contributions.require(Kind.ADAPTER, adapterId);
        List<DatasetCase> cases = openWith(contributions, adapter, root, adapter.resolve(parameters));
        return new Dataset(root, cases, new ImageFormats(contributions));
    }

    /** Opens a folder or manifest with a contributed adapter inside SafeRunner; an IOException passes as it is. */
    static List<DatasetCase> openWith(Contributions contributions, Contribution adapter, Path root,
            ParameterValues parameters) throws IOException, CoreException {
        DatasetAdapter created = contributions.create(adapter, DatasetAdapter.class);
        IOException[] verdict = new IOException[1];
        List<DatasetCase> cases = Contributions.call(adapter, "open " + root, () -> {
            try {
                return created.open(root, parameters);
            } catch (IOException e) {
                verdict[0] = e;
                return null;
            }
        });
        if (verdict[0] != null) {
            throw verdict[0];
        }
        return cases;
    }

    public Path root() {
        return root;
    }

    public List<DatasetCase> cases() {
        return cases;
    }

    public Optional<DatasetCase> find(String caseId) {
        return cases.stream().filter(c -> c.id().equals(caseId)).findFirst();
    }

    /** The roles of a case's images, in the order of its files (a DICOM series counts as one image). */
    public static List<String> roles(DatasetCase c) {
        String declared = c.conditions().get(ROLES);
        if (declared == null) {
            return List.of(c.images().size() == 1 ? IMAGE : SERIES);
        }
        List<String> roles = Arrays.stream(declared.split(",")).map(String::trim).toList();
        if (roles.equals(List.of(SERIES))) {
            return roles;
        }
        if (roles.size() != c.images().size()) {
            throw new IllegalArgumentException("case '" + c.id() + "' names " + roles.size() + " image roles ("
                    + declared + ") for " + c.images().size() + " files");
        }
        return roles;
    }

    /**
     * Reads one image of a case.
     *
     * @throws IOException naming the case and the file if the role is unknown or the file cannot be read
     */
    public MedicalImage<?> read(DatasetCase c, String role) throws IOException {
        List<String> roles = roles(c);
        if (roles.equals(List.of(SERIES))) {
            if (!role.equals(SERIES)) {
                throw new IOException("case '" + c.id() + "' has no image '" + role + "'; it has: " + SERIES);
            }
            return DicomSeries.read(c.images());
        }
        int index = roles.indexOf(role);
        if (index < 0) {
            throw new IOException("case '" + c.id() + "' has no image '" + role + "'; it has: " + String.join(", ", roles));
        }
        Path file = c.images().get(index);
        try {
            return formats.read(file);
        } catch (CoreException e) {
            throw new IOException("case '" + c.id() + "': " + e.getStatus().getMessage(), e);
        }
    }

    /** Every image of a case, by role, in the order of its files. */
    public Map<String, MedicalImage<?>> readAll(DatasetCase c) throws IOException {
        Map<String, MedicalImage<?>> images = new LinkedHashMap<>();
        for (String role : roles(c)) {
            images.put(role, read(c, role));
        }
        return images;
    }

    /** Bytes the decoded pixels of an image occupy. */
    public static long bytes(MedicalImage<?> image) {
        long bits = Intervals.numElements(image.pixels()) * image.pixels().firstElement().getBitsPerPixel();
        return (bits + 7) / 8;
    }
}
