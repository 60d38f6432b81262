package org.medsynth.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.medsynth.core.api.Json;
import org.medsynth.eval.readerstudy.ReaderStudy;
import org.medsynth.eval.readerstudy.ReaderStudy.Design;
import org.medsynth.eval.readerstudy.ReaderStudy.Score;

/** {@code medsynth reader-study build|score}: makes an anonymised real-versus-synthetic study and scores answers. */
final class ReaderStudyCommand {
    private final PrintStream out;
    private final PrintStream err;

    ReaderStudyCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> words) throws IOException {
        if (words.isEmpty()) {
            throw new UsageException("reader-study needs 'build' or 'score' (try: medsynth reader-study --help)");
        }
        Arguments a = Arguments.parse(words.subList(1, words.size()), Set.of("out", "count", "seed", "design"),
                Set.of("help", "json"), Set.of());
        if (a.flag("help") || words.get(0).equals("--help") || words.get(0).equals("-h")) {
            out.print(Help.READER_STUDY);
            return Cli.OK;
        }
        if (!a.parameters.isEmpty()) {
            throw new UsageException("reader-study: unknown option --" + a.parameters.keySet().iterator().next());
        }
        return switch (words.get(0)) {
            case "build" -> build(a);
            case "score" -> score(a);
            default -> throw new UsageException("unknown reader-study command '" + words.get(0)
                    + "' (build, score)");
        };
    }

    private int build(Arguments a) throws IOException {
        if (a.positional.size() != 2) {
            throw new UsageException("reader-study build needs REAL and SYNTHETIC folders");
        }
        String folder = a.option("out", null);
        if (folder == null) {
            throw new UsageException("reader-study build needs --out DIR (a new folder for the study)");
        }
        long count = a.longOption("count", 0);
        if (count < 0 || count > 100_000) {
            throw new UsageException("--count must be between 1 and 100000 (or 0: as many as the smaller folder holds)");
        }
        Design design = Design.of(a.option("design", Design.REAL_FAKE.id()));
        Path study = Path.of(folder);
        int rows = ReaderStudy.build(Path.of(a.positional.get(0)), Path.of(a.positional.get(1)), study, design,
                (int) count, a.longOption("seed", 0));
        err.println("medsynth: reader study with " + rows + (design == Design.TWO_AFC ? " trials" : " images")
                + " written to " + study + "; the key is " + ReaderStudy.KEY_FILE + ", keep it from the readers");
        out.println(study.resolve(ReaderStudy.ANSWER_SHEET));
        return Cli.OK;
    }

    private int score(Arguments a) throws IOException {
        if (a.positional.size() != 2) {
            throw new UsageException("reader-study score needs the study folder DIR and the filled ANSWERS.csv");
        }
        Score s = ReaderStudy.score(Path.of(a.positional.get(0)), Path.of(a.positional.get(1)));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("design", s.design().id());
        result.put("trials", s.trials());
        result.put("correct", s.correct());
        result.put("accuracy", s.accuracy());
        result.put("sensitivity", s.sensitivity());
        result.put("specificity", s.specificity());
        result.put("tp", s.truePositives());
        result.put("fp", s.falsePositives());
        result.put("tn", s.trueNegatives());
        result.put("fn", s.falseNegatives());
        result.put("binomial_p", s.pValue());
        if (s.auc() != null) {
            result.put("auc", s.auc().auc());
            result.put("auc_ci_low", s.auc().low());
            result.put("auc_ci_high", s.auc().high());
        }
        if (a.flag("json")) {
            out.println(Json.pretty(result));
            return Cli.OK;
        }
        result.forEach((name, value) -> out.println(name + " " + (value instanceof Double d
                ? String.format(Locale.ROOT, "%.6g", d) : value)));
        return Cli.OK;
    }
}
