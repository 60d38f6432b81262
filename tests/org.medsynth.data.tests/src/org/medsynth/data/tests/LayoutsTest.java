package org.medsynth.data.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.Contribution;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.api.DatasetAdapter.DatasetCase;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.data.dataset.ClassFoldersAdapter;
import org.medsynth.data.dataset.Dataset;
import org.medsynth.data.dataset.DicomTreeAdapter;
import org.medsynth.data.dataset.PairedFoldersAdapter;
import org.medsynth.io.dicom.DicomWriter;

/** Every dataset layout through the registry, on images written with the installed formats. */
class LayoutsTest {
    @TempDir
    Path work;

    private final ImageFormats formats = ImageFormats.get();

    private Path write(String relative, MedicalImage<?> image) throws Exception {
        Path file = work.resolve(relative);
        Files.createDirectories(file.getParent());
        formats.write(image, file);
        return file;
    }

    private static List<String> ids(Dataset d) {
        return d.cases().stream().map(DatasetCase::id).toList();
    }

    private static void text(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    @Test
    void everyLayoutIsContributedWithoutProblems() {
        List<String> ids = Contributions.get().list(Kind.ADAPTER).stream().map(Contribution::id).toList();
        for (String id : List.of("adapter.folder", "adapter.nifti-collection", "adapter.paired-folders",
                "adapter.class-folders", "adapter.manifest", "adapter.dicom-tree")) {
            assertTrue(ids.contains(id), id + " missing from " + ids);
        }
        assertTrue(Contributions.get().problems().stream().noneMatch(p -> p.contains("org.medsynth.data")),
                Contributions.get().problems().toString());
    }

    @Test
    void folderOfImagesIsOneCasePerReadableImage() throws Exception {
        write("a.mha", TestImages.ramp(0, 4, 3, 2));
        write("b.nii.gz", TestImages.ramp(100, 5, 2, 2));
        write("c.png", TestImages.ramp(7, 6, 5));
        write(".hidden.mha", TestImages.ramp(0, 2, 2));
        text(work.resolve("notes.txt"), "not an image");
        Dataset d = Dataset.open("adapter.folder", work, Map.of());
        assertEquals(List.of("a", "b", "c"), ids(d));
        DatasetCase b = d.find("b").orElseThrow();
        assertEquals("b", b.patientId());
        assertEquals(List.of("image"), Dataset.roles(b));
        MedicalImage<?> read = d.read(b, "image");
        assertArrayEquals(new long[] {5, 2, 2}, read.dimensions());
        assertArrayEquals(TestImages.values(TestImages.ramp(100, 5, 2, 2)), TestImages.values(read), 1e-6);
        IOException noRole = assertThrows(IOException.class, () -> d.read(b, "mask"));
        assertTrue(noRole.getMessage().contains("has no image 'mask'"), noRole.getMessage());
    }

    @Test
    void casesAreDescribedWhenOpenedAndDecodedOnlyWhenRead() throws Exception {
        write("good.mha", TestImages.ramp(0, 3, 3));
        text(work.resolve("broken.mha"), "ObjectType = Image\nNDims = 2\nDimSize = 3 3\nElementType = MET_FLOAT\n"
                + "ElementDataFile = LOCAL\n");
        Dataset d = Dataset.open("adapter.folder", work, Map.of());
        assertEquals(List.of("broken", "good"), ids(d));
        assertEquals(9, TestImages.values(d.read(d.find("good").orElseThrow(), "image")).length);
        IOException e = assertThrows(IOException.class, () -> d.read(d.find("broken").orElseThrow(), "image"));
        assertTrue(e.getMessage().contains("broken.mha"), e.getMessage());
    }

    @Test
    void patientPatternGroupsTheCasesOfOnePatient() throws Exception {
        write("P01_t1.mha", TestImages.ramp(0, 2, 2));
        write("P01_t2.mha", TestImages.ramp(1, 2, 2));
        write("P02_t1.mha", TestImages.ramp(2, 2, 2));
        Dataset d = Dataset.open("adapter.folder", work, Map.of("patient-pattern", "^(P\\d+)_"));
        assertEquals(List.of("P01", "P01", "P02"), d.cases().stream().map(DatasetCase::patientId).toList());

        CoreException noGroup = assertThrows(CoreException.class,
                () -> Dataset.open("adapter.folder", work, Map.of("patient-pattern", "^P\\d+")));
        assertTrue(noGroup.getMessage().contains("no group"), noGroup.getMessage());
        IOException noMatch = assertThrows(IOException.class,
                () -> Dataset.open("adapter.folder", work, Map.of("patient-pattern", "^(Q\\d+)")));
        assertTrue(noMatch.getMessage().contains("P01_t1.mha") && noMatch.getMessage().contains("finds no patient id"),
                noMatch.getMessage());
    }

    @Test
    void niftiCollectionTakesTheNiftiFilesOnly() throws Exception {
        write("brain.nii", TestImages.ramp(0, 3, 3, 3));
        write("liver.nii.gz", TestImages.ramp(1, 3, 3, 2));
        write("other.mha", TestImages.ramp(2, 3, 3));
        Dataset d = Dataset.open("adapter.nifti-collection", work, Map.of());
        assertEquals(List.of("brain", "liver"), ids(d));
        assertArrayEquals(new long[] {3, 3, 2}, d.read(d.find("liver").orElseThrow(), "image").dimensions());
    }

    @Test
    void pairedFoldersMatchByStemAndNameTheUnmatched() throws Exception {
        write("A/p1.mha", TestImages.ramp(0, 3, 2));
        write("A/p2.mha", TestImages.ramp(10, 3, 2));
        write("A/p3.mha", TestImages.ramp(20, 3, 2));
        write("B/p1.nii.gz", TestImages.ramp(50, 3, 2));
        write("B/p2.mha", TestImages.ramp(60, 3, 2));
        write("B/q9.mha", TestImages.ramp(70, 3, 2));

        IOException e = assertThrows(IOException.class, () -> Dataset.open("adapter.paired-folders", work, Map.of()));
        assertTrue(e.getMessage().contains("only in A: p3.mha") && e.getMessage().contains("only in B: q9.mha"),
                e.getMessage());

        Dataset d = Dataset.open("adapter.paired-folders", work, Map.of("unmatched", "skip"));
        assertEquals(List.of("p1", "p2"), ids(d));
        DatasetCase p1 = d.cases().get(0);
        assertEquals(List.of(PairedFoldersAdapter.A, PairedFoldersAdapter.B), Dataset.roles(p1));
        assertEquals(50, TestImages.values(d.read(p1, PairedFoldersAdapter.B))[0], 1e-6);
        assertEquals(0, TestImages.values(d.read(p1, PairedFoldersAdapter.A))[0], 1e-6);

        PairedFoldersAdapter.Pairing pairing = PairedFoldersAdapter.match(work.resolve("A"), work.resolve("B"), formats);
        assertEquals(List.of(work.resolve("A/p3.mha")), pairing.onlyInA());
        assertEquals(List.of(work.resolve("B/q9.mha")), pairing.onlyInB());
    }

    @Test
    void pairedFoldersReadTheCtSpine1kLayout() throws Exception {
        // data/<subset>/<case>.nii.gz with label/<subset>/<case>_seg.nii.gz
        write("data/colon/c1.nii.gz", TestImages.ramp(0, 3, 2));
        write("data/liver/volume-7.nii.gz", TestImages.ramp(10, 3, 2));
        write("label/colon/c1_seg.nii.gz", TestImages.ramp(50, 3, 2));
        write("label/liver/volume-7_seg.nii.gz", TestImages.ramp(60, 3, 2));
        write("label/liver/c1_seg.nii.gz", TestImages.ramp(70, 3, 2));
        Map<String, String> ctSpine1k = Map.of("a", "data", "b", "label", "b-suffix", "_seg", "subfolders", "true");

        IOException e = assertThrows(IOException.class, () -> Dataset.open("adapter.paired-folders", work, ctSpine1k));
        assertTrue(e.getMessage().contains("only in label: liver/c1_seg.nii.gz"), e.getMessage());

        Map<String, String> skipping = new java.util.HashMap<>(ctSpine1k);
        skipping.put("unmatched", "skip");
        Dataset d = Dataset.open("adapter.paired-folders", work, skipping);
        assertEquals(List.of("colon/c1", "liver/volume-7"), ids(d));
        assertEquals(60, TestImages.values(d.read(d.find("liver/volume-7").orElseThrow(), PairedFoldersAdapter.B))[0],
                1e-6);
        // without subfolders the images below data/ are not seen
        assertThrows(IOException.class, () -> Dataset.open("adapter.paired-folders", work,
                Map.of("a", "data", "b", "label", "b-suffix", "_seg")));
    }

    @Test
    void classFoldersLabelTheirCases() throws Exception {
        write("benign/x.mha", TestImages.ramp(0, 2, 2));
        write("malignant/y.mha", TestImages.ramp(1, 2, 2));
        write("malignant/z.png", TestImages.ramp(2, 2, 2));
        Dataset d = Dataset.open("adapter.class-folders", work, Map.of());
        assertEquals(List.of("benign/x", "malignant/y", "malignant/z"), ids(d));
        assertEquals(List.of("benign", "malignant", "malignant"),
                d.cases().stream().map(c -> c.conditions().get(ClassFoldersAdapter.LABEL)).toList());
    }

    @Test
    void csvManifestCarriesMasksPatientsAndFreeConditions() throws Exception {
        write("img/s1.mha", TestImages.ramp(0, 4, 4));
        write("img/s2.nii.gz", TestImages.ramp(5, 4, 4));
        write("mask/s1.mha", TestImages.ramp(-1, 4, 4));
        Path manifest = work.resolve("cases.csv");
        text(manifest, "image,mask,patient,labels,cobb_angle,age,text\r\n"
                + "img/s1.mha,mask/s1.mha,P7,\"scoliosis,lumbar\",23.5,61,\"lateral view, \"\"standing\"\"\"\r\n"
                + "\r\n"
                + "img/s2.nii.gz,,P8,normal,,45,\"two\nlines\"\n");
        Dataset d = Dataset.open("adapter.manifest", manifest, Map.of());
        assertEquals(List.of("s1", "s2"), ids(d));
        DatasetCase s1 = d.cases().get(0);
        assertEquals("P7", s1.patientId());
        assertEquals(List.of("image", "mask"), Dataset.roles(s1));
        assertEquals("scoliosis,lumbar", s1.conditions().get("labels"));
        assertEquals("23.5", s1.conditions().get("cobb_angle"));
        assertEquals("61", s1.conditions().get("age"));
        assertEquals("lateral view, \"standing\"", s1.conditions().get("text"));
        assertEquals(-1, TestImages.values(d.read(s1, "mask"))[0], 1e-6);
        DatasetCase s2 = d.cases().get(1);
        assertEquals(List.of("image"), Dataset.roles(s2));
        assertTrue(!s2.conditions().containsKey("cobb_angle"), "an empty cell is no condition");
        assertEquals("two\nlines", s2.conditions().get("text"));
    }

    @Test
    void csvManifestErrorsNameTheLineAndTheProblem() throws Exception {
        write("img/s1.mha", TestImages.ramp(0, 2, 2));
        Path manifest = work.resolve("m.csv");
        text(manifest, "image,patient\nimg/s1.mha,P1\nimg/missing.mha,P2\n");
        IOException missing = assertThrows(IOException.class, () -> Dataset.open("adapter.manifest", manifest, Map.of()));
        assertTrue(missing.getMessage().contains("line 3") && missing.getMessage().contains("img/missing.mha"),
                missing.getMessage());

        text(manifest, "file,patient\nimg/s1.mha,P1\n");
        IOException noImage = assertThrows(IOException.class, () -> Dataset.open("adapter.manifest", manifest, Map.of()));
        assertTrue(noImage.getMessage().contains("no 'image' column"), noImage.getMessage());

        text(manifest, "image,patient\nimg/s1.mha\n");
        IOException fields = assertThrows(IOException.class, () -> Dataset.open("adapter.manifest", manifest, Map.of()));
        assertTrue(fields.getMessage().contains("line 2 has 1 fields"), fields.getMessage());

        text(manifest, "image,patient\nimg/s1.mha,P1\nimg/s1.mha,P2\n");
        IOException twice = assertThrows(IOException.class, () -> Dataset.open("adapter.manifest", manifest, Map.of()));
        assertTrue(twice.getMessage().contains("case id 's1' is already used by line 2"), twice.getMessage());

        text(manifest, "image,images\nimg/s1.mha,x\n");
        IOException reserved = assertThrows(IOException.class, () -> Dataset.open("adapter.manifest", manifest, Map.of()));
        assertTrue(reserved.getMessage().contains("'images' is reserved"), reserved.getMessage());

        text(manifest, "image,patient\n\"img/s1.mha,P1\n");
        IOException open = assertThrows(IOException.class, () -> Dataset.open("adapter.manifest", manifest, Map.of()));
        assertTrue(open.getMessage().contains("never closed"), open.getMessage());

        write("outside/s2.mha", TestImages.ramp(0, 2, 2));
        Path nested = work.resolve("nested/m.csv");
        Files.createDirectories(nested.getParent());
        for (String escaping : List.of("../outside/s2.mha", "sub/../../outside/s2.mha")) {
            text(nested, "image,patient\n" + escaping + ",P1\n");
            IOException traversal = assertThrows(IOException.class, () -> Dataset.open("adapter.manifest", nested, Map.of()));
            assertTrue(traversal.getMessage().contains("line 2: '" + escaping + "' lies outside the manifest's folder"),
                    traversal.getMessage());
        }
        text(nested, "image,patient\n" + work.resolve("outside/s2.mha") + ",P1\n");
        assertEquals(1, Dataset.open("adapter.manifest", nested, Map.of()).cases().size(), "an absolute path is taken as written");
    }

    @Test
    void jsonManifestKeepsNumbersAndListsAsWritten() throws Exception {
        write("a.mha", TestImages.ramp(0, 2, 2));
        write("b.mha", TestImages.ramp(1, 2, 2));
        Path manifest = work.resolve("m.json");
        text(manifest, "{\"cases\": [{\"id\": \"first\", \"image\": \"a.mha\", \"patient\": \"P1\", \"labels\": [\"x\", \"y\"],"
                + " \"age\": 42, \"angle\": 12.5, \"text\": \"AP view\"}, {\"image\": \"b.mha\", \"mask\": null}]}");
        Dataset d = Dataset.open("adapter.manifest", manifest, Map.of());
        assertEquals(List.of("first", "b"), ids(d));
        Map<String, String> c = d.cases().get(0).conditions();
        assertEquals("[\"x\",\"y\"]", c.get("labels"));
        assertEquals("42", c.get("age"));
        assertEquals("12.5", c.get("angle"));
        assertEquals("AP view", c.get("text"));
        assertEquals("b", d.cases().get(1).patientId());

        text(manifest, "[{\"image\": \"a.mha\"}, 3]");
        IOException notObject = assertThrows(IOException.class, () -> Dataset.open("adapter.manifest", manifest, Map.of()));
        assertTrue(notObject.getMessage().contains("case 2 is not an object"), notObject.getMessage());
    }

    @Test
    void dicomTreeFindsEverySeriesAndReadsEachAsOneVolume() throws Exception {
        Geometry g = new Geometry(new double[] {0.8, 0.8, 2.0}, new double[] {-10, 5, 30}, Geometry.identity(3));
        MedicalImage<?> first = new MedicalImage<>(TestImages.ramp(-500, 4, 3, 3).pixels(), g, Modality.CT,
                IntensityUnit.HOUNSFIELD, List.of(), Provenance.acquired());
        MedicalImage<?> second = new MedicalImage<>(TestImages.ramp(100, 5, 4, 2).pixels(), g, Modality.CT,
                IntensityUnit.HOUNSFIELD, List.of(), Provenance.acquired());
        DicomWriter.writeSeries(first, work.resolve("P1/ct"), new DicomWriter.Options("ONE^PATIENT", "P1", null, 1));
        DicomWriter.writeSeries(second, work.resolve("P2/study/series"),
                new DicomWriter.Options("TWO^PATIENT", "P2", null, 2));
        text(work.resolve("README.txt"), "not DICOM");

        Dataset d = Dataset.open("adapter.dicom-tree", work, Map.of());
        assertEquals(2, d.cases().size());
        assertEquals(List.of("P1", "P2"), d.cases().stream().map(DatasetCase::patientId).toList());
        assertEquals(List.of("P1/ct", "P2/study/series"),
                d.cases().stream().map(c -> c.conditions().get(DicomTreeAdapter.FOLDER)).toList());
        DatasetCase c1 = d.cases().get(0);
        assertEquals(3, c1.images().size());
        assertEquals(List.of(Dataset.SERIES), Dataset.roles(c1));
        MedicalImage<?> volume = d.read(c1, Dataset.SERIES);
        assertArrayEquals(new long[] {4, 3, 3}, volume.dimensions());
        assertArrayEquals(TestImages.values(first), TestImages.values(volume), 1e-3);
        assertArrayEquals(g.spacing(), volume.geometry().spacing(), 1e-6);
        assertArrayEquals(TestImages.values(second), TestImages.values(d.read(d.cases().get(1), Dataset.SERIES)), 1e-3);
    }
}
