package org.medsynth.eval.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.medsynth.core.api.EvaluationRequest;
import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.api.EvaluationResult.Measurement;
import org.medsynth.core.api.Evaluator;
import org.medsynth.eval.AngleAgreement;

/**
 * Agreement of Cobb angles measured on reference and candidate images, read from a CSV file (the angles are
 * measured elsewhere; the request's images are not used). The value is the chosen statistic; per case, the
 * difference candidate − reference; the angles themselves are kept as the result's measurements.
 */
public final class CobbAgreementEvaluator implements Evaluator {
    private static final String HEADER = "case,reference,candidate";

    @Override
    public EvaluationResult evaluate(EvaluationRequest request, IProgressMonitor monitor) throws CoreException {
        Path file = request.parameters().getPath("angles");
        if (!Files.isRegularFile(file)) {
            throw new CoreException(Status.error(file + ": " + (Files.exists(file) ? "is not a regular file"
                    : "does not exist")));
        }
        Map<String, Measurement> table;
        try {
            table = read(file);
        } catch (IOException e) {
            throw new CoreException(Status.error(file + ": cannot be read as UTF-8 text (" + e.getMessage() + ")"));
        }
        AngleAgreement agreement;
        try {
            agreement = AngleAgreement.of(table.values());
        } catch (IllegalArgumentException e) {
            throw new CoreException(Status.error(file + ": " + e.getMessage()));
        }
        Map<String, Double> differences = new LinkedHashMap<>();
        table.forEach((id, a) -> differences.put(id, a.candidate() - a.reference()));
        double value = agreement.statistic(request.parameters().getString("statistic"));
        return new EvaluationResult(request.contribution().id(), value, differences, List.of(), table);
    }

    /**
     * Rows of {@code case,reference,candidate} after that header line; blank lines and lines starting with # are
     * skipped.
     *
     * @throws CoreException naming the file and line of a malformed row
     */
    private static Map<String, Measurement> read(Path file) throws IOException, CoreException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Measurement> table = new LinkedHashMap<>();
        boolean headerSeen = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1) + ": ";
            if (!headerSeen) {
                if (!line.replace(" ", "").equalsIgnoreCase(HEADER)) {
                    throw new CoreException(Status.error(where + "expected the header '" + HEADER + "', found '"
                            + line + "'"));
                }
                headerSeen = true;
                continue;
            }
            String[] fields = line.split(",", -1);
            if (fields.length != 3) {
                throw new CoreException(Status.error(where + "expected 3 fields (" + HEADER + "), found "
                        + fields.length));
            }
            String id = fields[0].strip();
            if (id.isEmpty()) {
                throw new CoreException(Status.error(where + "the case is empty"));
            }
            if (table.containsKey(id)) {
                throw new CoreException(Status.error(where + "case '" + id + "' appears twice"));
            }
            table.put(id, new Measurement(angle(fields[1], "reference", where), angle(fields[2], "candidate", where)));
        }
        if (table.isEmpty()) {
            throw new CoreException(Status.error(file + ": no angle rows (expected the header '" + HEADER
                    + "' and one row per case)"));
        }
        return table;
    }

    private static double angle(String text, String column, String where) throws CoreException {
        try {
            double v = Double.parseDouble(text.strip());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the file and line
        }
        throw new CoreException(Status.error(where + column + " angle '" + text.strip() + "' is not a finite number"));
    }
}
