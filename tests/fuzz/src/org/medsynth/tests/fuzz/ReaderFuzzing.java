package org.medsynth.tests.fuzz;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.core.runtime.FileLocator;
import org.medsynth.core.api.ImageFormatException;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Coverage-guided fuzzing of MedSynth's readers with Jazzer, and the replay of the inputs it found.
 * <p>
 * A fuzz target is a class with {@code public static void fuzzerTestOneInput(byte[])} that hands the bytes to
 * {@link #readAsFile}: a reader may read an input or refuse it with an {@link ImageFormatException} that names the
 * file; anything else (another exception, an error, running out of memory or time) is a finding. The fuzz profile
 * ({@code ./mvnw -Pfuzz verify}) sets {@value #SECONDS}, and {@link #jazzer} then runs Jazzer in a child JVM on the
 * class path of the running OSGi framework; every finding is copied into the test bundle's {@code fuzz-corpus/},
 * where {@link #replay} keeps it as a regression test of the ordinary test run.
 */
public final class ReaderFuzzing {
    /** System property: seconds Jazzer fuzzes each target. Fuzzing tests run only when it is set. */
    public static final String SECONDS = "medsynth.fuzz.seconds";
    /** System property: folder holding the Jazzer jars (the fuzz profile copies them there). */
    public static final String JAZZER = "medsynth.fuzz.jazzer";
    /** System property: folder where findings are kept (the test bundle's {@code fuzz-corpus/} in the sources). */
    public static final String CORPUS = "medsynth.fuzz.corpus";
    /** System property: folder for Jazzer's working corpus, findings and log, one subfolder per target. */
    public static final String WORK = "medsynth.fuzz.work";

    /** Classes Jazzer instruments for coverage: MedSynth's readers and the libraries they parse with. */
    private static final String INSTRUMENTED = "org.medsynth.**:com.pixelmed.**:ij.**:net.imglib2.**";
    private static final Map<String, Path> SCRATCH_FILES = new HashMap<>();

    private ReaderFuzzing() {
    }

    /** A reader under test, given the file the fuzzed bytes were written to. */
    @FunctionalInterface
    public interface Reader {
        void read(Path file) throws Exception;
    }

    /**
     * Writes {@code input} to a scratch file ending in {@code suffix} (reused for every input of that suffix) and
     * reads it. A refusal must be an {@link ImageFormatException} naming the file; everything else escapes.
     */
    public static void readAsFile(byte[] input, String suffix, Reader reader) throws Exception {
        Path file = SCRATCH_FILES.get(suffix);
        if (file == null) {
            file = Files.createTempFile("medsynth-fuzz-", suffix);
            file.toFile().deleteOnExit();
            SCRATCH_FILES.put(suffix, file);
        }
        Files.write(file, input);
        try {
            reader.read(file);
        } catch (ImageFormatException refused) {
            if (refused.getMessage() == null || !refused.getMessage().contains(file.toString())) {
                throw new AssertionError("the format error does not name the file: " + refused.getMessage(), refused);
            }
        }
    }

    /** The kept inputs (regular files of {@code corpus}, in name order). */
    public static List<Path> keptInputs(Path corpus) throws IOException {
        if (!Files.isDirectory(corpus)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(corpus)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Replays every kept input through the target; returns a line for each one that escaped. */
    public static List<String> replay(Class<?> target, Path corpus) throws Exception {
        Method fuzz = target.getMethod("fuzzerTestOneInput", byte[].class);
        List<String> escaped = new ArrayList<>();
        for (Path input : keptInputs(corpus)) {
            escape(fuzz, input).ifPresent(escaped::add);
        }
        return escaped;
    }

    /** What {@code input} escaped the target as (and where), or nothing when the target handled it. */
    private static Optional<String> escape(Method fuzz, Path input) throws Exception {
        try {
            fuzz.invoke(null, (Object) Files.readAllBytes(input));
            return Optional.empty();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            StackTraceElement[] where = cause.getStackTrace();
            return Optional.of(input.getFileName() + " escaped as " + cause + (where.length > 0 ? " at " + where[0] : ""));
        }
    }

    /** The folder of a test bundle's kept inputs, {@code fuzz-corpus/}, when the bundle has one. */
    public static Optional<Path> corpusOf(Class<?> testClass) throws IOException {
        var entry = FrameworkUtil.getBundle(testClass).getEntry("fuzz-corpus/");
        return entry == null ? Optional.empty()
                : Optional.of(Path.of(URI.create(FileLocator.toFileURL(entry).toString().replace(" ", "%20"))));
    }

    /**
     * One fuzzing run.
     *
     * @param findings each input Jazzer reported (as copied into the kept corpus) with what it escaped as when
     *                 replayed here, or Jazzer's kind of finding (timeout, out of memory) when it does not escape here
     * @param summary  Jazzer's last status line (executions, coverage) or why it stopped
     */
    public record Run(List<String> findings, String summary) {
    }

    /**
     * Fuzzes {@code target} with Jazzer for {@value #SECONDS} seconds, starting from {@code seeds}, continuing past
     * findings; copies each finding into {@value #CORPUS} named after the target. Jazzer's working corpus and its
     * log stay in {@value #WORK}.
     */
    public static Run jazzer(Class<?> target, List<Path> seeds) throws Exception {
        int seconds = Integer.parseInt(required(SECONDS));
        Path work = Files.createDirectories(Path.of(required(WORK), target.getSimpleName()));
        Path seedFolder = Files.createDirectories(work.resolve("seeds"));
        for (Path seed : seeds) {
            Files.copy(seed, seedFolder.resolve(seed.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path corpus = Files.createDirectories(work.resolve("corpus"));
        Path artifacts = Files.createDirectories(work.resolve("findings"));
        for (Path earlier : keptInputs(artifacts)) {
            Files.delete(earlier); // reported by an earlier run, and kept then
        }
        List<String> classPath = new ArrayList<>();
        try (Stream<Path> jars = Files.list(Path.of(required(JAZZER)))) {
            jars.filter(j -> j.toString().endsWith(".jar")).sorted().forEach(j -> classPath.add(j.toString()));
        }
        classPath.addAll(frameworkClassPath());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-Xmx2g", "-cp", String.join(File.pathSeparator, classPath),
                "com.code_intelligence.jazzer.Jazzer", "--target_class=" + target.getName(),
                "--instrumentation_includes=" + INSTRUMENTED, "--keep_going=50", "-max_total_time=" + seconds,
                "-timeout=20", "-rss_limit_mb=3072", "-artifact_prefix=" + artifacts + File.separator, "--reproducer_path=" + work,
                corpus.toString(), seedFolder.toString());
        Path log = work.resolve("jazzer.log");
        Process jazzer = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!jazzer.waitFor(seconds + 300L, TimeUnit.SECONDS)) {
            jazzer.destroyForcibly();
            throw new AssertionError("Jazzer did not stop " + seconds + " s after it was asked to; see " + log);
        }
        List<String> findings = new ArrayList<>();
        Path keptFolder = Files.createDirectories(Path.of(required(CORPUS)));
        Method fuzz = target.getMethod("fuzzerTestOneInput", byte[].class);
        for (Path finding : keptInputs(artifacts)) {
            Path kept = Files.copy(finding, keptFolder.resolve(target.getSimpleName() + "-" + finding.getFileName()),
                    StandardCopyOption.REPLACE_EXISTING);
            findings.add(escape(fuzz, kept).orElse(kept.getFileName() + " (Jazzer's finding; it does not escape when"
                    + " replayed here, see " + log + ")"));
        }
        List<String> lines = Files.readAllLines(log);
        String summary = lastLine(lines, "Done ") + "; " + lastLine(lines, " cov: ") + "; exit " + jazzer.exitValue();
        if (findings.isEmpty() && jazzer.exitValue() != 0) {
            throw new AssertionError("Jazzer failed (exit " + jazzer.exitValue() + ") without a finding: " + summary
                    + "; see " + log);
        }
        return new Run(findings, summary);
    }

    private static String lastLine(List<String> lines, String containing) {
        return lines.stream().filter(l -> l.contains(containing)).reduce((a, b) -> b).orElse("").trim();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (the fuzz profile sets it)");
        }
        return value;
    }

    /**
     * The class path of every bundle installed in the running framework: jars as they are, bundles run from a
     * folder (the test bundle itself under Tycho or PDE) by the class folders the development properties name.
     */
    private static List<String> frameworkClassPath() throws IOException {
        Properties development = new Properties();
        String developmentUrl = System.getProperty("osgi.dev");
        if (developmentUrl != null && developmentUrl.startsWith("file:")) {
            try (InputStream in = URI.create(developmentUrl.replace(" ", "%20")).toURL().openStream()) {
                development.load(in);
            }
        }
        Set<String> entries = new LinkedHashSet<>();
        for (Bundle bundle : FrameworkUtil.getBundle(ReaderFuzzing.class).getBundleContext().getBundles()) {
            Optional<File> location = bundle.getBundleId() == 0 ? Optional.empty() : FileLocator.getBundleFileLocation(bundle);
            if (location.isEmpty()) {
                continue;
            }
            Path root = location.get().toPath();
            if (Files.isDirectory(root)) {
                String folders = development.getProperty(bundle.getSymbolicName(), development.getProperty("*", ""));
                for (String folder : folders.split(",")) {
                    if (!folder.isBlank() && Files.isDirectory(root.resolve(folder.trim()))) {
                        entries.add(root.resolve(folder.trim()).toString());
                    }
                }
            }
            entries.add(root.toString());
        }
        return List.copyOf(entries);
    }
}
