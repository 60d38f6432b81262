package org.medsynth.core.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.CoreException;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.ImageFormat;
import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.image.MedicalImage;

/** Reads and writes images through whichever contributed {@code <format>} handles the file's ending. */
public final class ImageFormats {
    private final Contributions contributions;

    public ImageFormats(Contributions contributions) {
        this.contributions = contributions;
    }

    public static ImageFormats get() {
        return new ImageFormats(Contributions.get());
    }

    /** The format contribution for a file name, by its longest matching ending (so ".nii.gz" beats ".gz"). */
    public Optional<Contribution> forFile(Path file, boolean write) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Contribution best = null;
        int bestLength = -1;
        for (Contribution c : contributions.list(Kind.FORMAT)) {
            if (!Boolean.parseBoolean(c.attribute(write ? "write" : "read"))) {
                continue;
            }
            for (String ext : extensions(c)) {
                if (name.endsWith("." + ext) && ext.length() > bestLength) {
                    best = c;
                    bestLength = ext.length();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    public static List<String> extensions(Contribution format) {
        return java.util.Arrays.stream(format.attribute("extensions").split(",")).map(String::trim)
                .map(s -> s.toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
    }

    /** Every file ending some installed format can read (or write). */
    public List<String> knownExtensions(boolean write) {
        return contributions.list(Kind.FORMAT).stream()
                .filter(c -> Boolean.parseBoolean(c.attribute(write ? "write" : "read")))
                .flatMap(c -> extensions(c).stream()).distinct().sorted().toList();
    }

    public MedicalImage<?> read(Path file) throws IOException, CoreException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFormatException(file, Files.exists(file) ? "is not a regular file" : "does not exist");
        }
        Contribution c = forFile(file, false).orElseThrow(() -> new ImageFormatException(file,
                "no installed format reads this file type (readable: " + String.join(", ", knownExtensions(false)) + ")"));
        ImageFormat format = contributions.create(c, ImageFormat.class);
        return callFormat(c, "read " + file, () -> format.read(file));
    }

    public void write(MedicalImage<?> image, Path file) throws IOException, CoreException {
        Contribution c = forFile(file, true).orElseThrow(() -> new ImageFormatException(file,
                "no installed format writes this file type (writable: " + String.join(", ", knownExtensions(true)) + ")"));
        ImageFormat format = contributions.create(c, ImageFormat.class);
        callFormat(c, "write " + file, () -> {
            format.write(image, file);
            return null;
        });
    }

    private interface IoCall<V> {
        V call() throws IOException;
    }

    /**
     * Calls a format inside SafeRunner. An IOException is the format's verdict on the file (bad input), passed on
     * as it is; anything else is a bug in the format and is reported as such.
     */
    private static <V> V callFormat(Contribution c, String what, IoCall<V> code) throws IOException, CoreException {
        IOException[] verdict = new IOException[1];
        V result = Contributions.call(c, what, () -> {
            try {
                return code.call();
            } catch (IOException e) {
                verdict[0] = e;
                return null;
            }
        });
        if (verdict[0] != null) {
            throw verdict[0];
        }
        return result;
    }

    /** Readable image files directly inside a folder, sorted by name. */
    public List<Path> imagesIn(Path folder) throws IOException {
        try (var stream = Files.list(folder)) {
            return stream.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> forFile(p, false).isPresent()).sorted().collect(Collectors.toList());
        }
    }
}
