package org.medsynth.app.cli;

/** The --help texts. */
final class Help {
    static final String MAIN = """
            usage: medsynth <command> [options]

            Train, run and evaluate generative models for medical images.

            commands:
              demo                      the main job on the embedded default: phantoms generated, degraded and
                                        evaluated (PSNR/SSIM), then each installed module's demonstration
                                        (its shipped models on phantoms and example data, with a report),
                                        written to ./medsynth-out
              list                      installed generators, evaluators, formats, adapters, trainers, demos
              info ID|FILE              one contribution: what it does and its parameters; or what a reader
                                        understood of an image file
              convert IN OUT            convert an image between formats, saying what the target cannot hold
              generate ID               run a generator
              evaluate REF CAND         compare two images or two folders with paired metrics
              train ID                  run a training recipe
              reader-study build|score  an anonymised real-versus-synthetic reader study, and its scoring
              devices                   the ML engine's version and the devices it can use

            'medsynth <command> --help' tells more. Exit codes: 0 done, 1 run failed, 2 bad command line or input,
            130 cancelled. Every run writes a JSON run record to ~/.medsynth/runs (or -Dmedsynth.runs=DIR).
            """;

    static final String DEMO = """
            usage: medsynth demo [--out DIR] [--only ID]

            The core demonstration (Shepp–Logan and CT torso phantoms, clean and noisy, PSNR/SSIM: DIR/clean,
            DIR/noisy, DIR/evaluation.json), then every installed module's demonstration in DIR/<id>: its inputs
            (phantoms, installed example data), its shipped models' outputs and an evaluation report (report.html).
            --only core, or --only a demonstration id (medsynth list --kind demos), runs just that one.
            DIR defaults to ./medsynth-out and must not hold an earlier demonstration.
            """;

    static final String LIST = """
            usage: medsynth list [--kind generators|evaluators|formats|adapters|trainers|demos] [--specialty S]
                                 [--modality M] [--task T] [--json]
            """;

    static final String INFO = """
            usage: medsynth info ID
                   medsynth info FILE

            With an image file: the format that read it, dimensions, pixel type, spacing, origin, direction and
            orientation (LPS), modality, unit, value range and provenance.
            """;

    static final String CONVERT = """
            usage: medsynth convert IN OUT

            Reads IN and writes OUT with the installed formats their file endings name (medsynth list --kind
            formats). The written file is read back and compared with IN: one 'dropped:' line for each attribute OUT
            does not hold as IN had it (spacing, orientation, modality, unit, provenance, pixel type) and how the
            intensities were mapped where the stored values differ. OUT appears whole or not at all.
            """;

    static final String GENERATE = """
            usage: medsynth generate ID [--out DIR] [--seed N] [--count N] [--format mha[,png]] [--input FILE]...
                                        [--device cpu|auto|gpu:N] [--PARAMETER VALUE]...

              --out DIR      output folder (default medsynth-out/ID); outputs appear there atomically, with a run record
              --seed N       random seed (default 0): equal seeds and parameters give equal images
              --count N      number of samples (default 1)
              --format LIST  file endings to write each sample in (default mha)
              --input FILE   conditioning image, for generators that take one (repeatable)
              --device D     where to run (default cpu)
            """;

    static final String EVALUATE = """
            usage: medsynth evaluate REFERENCE CANDIDATE [--metrics ID[,ID]...] [--json] [--per-case] [--report DIR]
                                     [--PARAMETER VALUE]...
                   medsynth evaluate REFERENCE CANDIDATE_A CANDIDATE_B... [same options]

            REFERENCE and CANDIDATE are two images, or two folders whose images are paired by file name. When every
            chosen metric is a distribution metric (fid, kid, ...), the two folders are two independent samples: all
            their images are used, of any number and names; paired and distribution metrics cannot be mixed.
            Prints 'metric value' lines (mean over pairs); --per-case adds one line per pair; --json prints all.
            Options such as --data-range go to every chosen metric that declares them.
            --report DIR writes report.json, report.html (mean ± sd, 95% BCa bootstrap interval and per-case values
            per metric) and PNG plots into DIR, all at once when complete; files already in DIR are never replaced.
            For distribution metrics the report gives each value with its components (e.g. KID mean and sd over
            subsets), the feature extractor and the warnings (e.g. too few images for the number of features).
            With several CANDIDATEs (paired metrics only), each model is evaluated against REFERENCE and every two
            models are compared per metric on their common cases: mean difference with its 95% bootstrap interval,
            paired t-test and Wilcoxon signed-rank p-values; --report DIR writes the tables, a bar plot of the model
            means with their intervals per metric, and report.json with the same.
            """;

    static final String READER_STUDY = """
            usage: medsynth reader-study build REAL SYNTHETIC --out DIR [--count N] [--seed S] [--design real-fake|2afc]
                   medsynth reader-study score DIR ANSWERS.csv [--json]

            build draws N images from each folder (default: as many as the smaller holds), shuffled with seed S
            (default 0), into the new folder DIR: images re-encoded as plain PNG named study-001.png... (2afc: trials
            study-001-a.png / study-001-b.png, one real and one synthetic), a hidden key .key.json, instructions.txt
            and a blank answer sheet answers.csv (real-fake: 'image,answer' with real or synthetic; 2afc:
            'trial,synthetic' with a or b).
            score compares a filled answer sheet with the key: TP/FP/TN/FN with synthetic as positive, accuracy,
            sensitivity, specificity and the exact two-sided binomial test of the correct answers against chance.
            """;

    static final String DEVICES = """
            usage: medsynth devices

            Starts the PyTorch engine (offline, native library from the installed bundle) and lists cpu and every
            usable gpu:N. GPUs need the optional CUDA native (pytorch-native-cu124 2.5.1).
            """;

    static final String TRAIN = """
            usage: medsynth train ID [--out DIR] [--checkpoints DIR] [--resume] [--seed N] [--device cpu|auto|gpu:N]
                                     [--PARAMETER VALUE]...
            """;

    private Help() {
    }
}
