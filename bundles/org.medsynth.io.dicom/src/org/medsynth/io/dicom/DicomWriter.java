package org.medsynth.io.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TransferSyntax;

import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.core.jobs.AtomicFiles;
import org.medsynth.core.jobs.OutputStaging;

/**
 * Writes images as DICOM Part 10 files (explicit VR little endian), each file whole or not at all.
 * <ul>
 * <li>CT, MR and PET images become CT / MR / PET Image Storage objects, one file per slice ({@link #writeSeries}),
 * or the one slice of a 2D or single-slice image; any other modality, and any 3D image written to one file, becomes
 * a (Multi-frame Grayscale Word) Secondary Capture.</li>
 * <li>Every object is marked as MedSynth's product: Image Type DERIVED\SECONDARY, Burned In Annotation NO, a
 * Contributing Equipment Sequence item naming MedSynth. A synthetic image also gets "SYNTHETIC" in Derivation
 * Description (0008,2111) with {@link Provenance#summary()}, and its full provenance as one-line JSON in Image
 * Comments (0020,4000), where {@link DicomReader} does not look but any DICOM viewer shows it.</li>
 * <li>Values are stored as signed 16-bit with Rescale Slope/Intercept chosen so the physical values (HU, SUV, ...)
 * come back to within half a stored step; integer images in range are stored exactly (slope 1).</li>
 * </ul>
 */
public final class DicomWriter {
    private static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";
    private static final String MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4";
    private static final String PET_IMAGE = "1.2.840.10008.5.1.4.1.1.128";
    private static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    private static final String MULTIFRAME_WORD_SC = "1.2.840.10008.5.1.4.1.1.7.3";
    private static final int MAX_COMMENT_CHARS = 10240;

    /**
     * Identity written into the objects. MedSynth images carry no patient; the defaults name a synthetic one.
     *
     * @param patientName  Patient's Name
     * @param patientId    Patient ID
     * @param studyUid     Study Instance UID to join, or null for a new study
     * @param seriesNumber Series Number
     */
    public record Options(String patientName, String patientId, String studyUid, int seriesNumber) {
        public static final Options DEFAULTS = new Options("SYNTHETIC^MEDSYNTH", "MEDSYNTH", null, 1);
    }

    private DicomWriter() {
    }

    /** One file: a single slice as a CT/MR/PET/SC object, a volume as a multi-frame secondary capture. */
    public static void write(MedicalImage<?> image, Path file, Options options) throws IOException {
        checkGrey(image, file);
        Series series = new Series(image, options);
        long depth = depth(image);
        try {
            AtomicFiles.write(file, depth == 1 ? series.slice(0, 1, file) : series.multiFrame(file));
        } catch (DicomException e) {
            throw new ImageFormatException(file, "cannot be encoded as DICOM: " + e.getMessage(), e);
        }
    }

    /**
     * A 3D image as one single-frame file per slice ({@code slice-0001.dcm}, ...) in {@code folder}, all or none:
     * written to a staging folder and moved into place when complete.
     *
     * @return the files written, in slice order
     */
    public static List<Path> writeSeries(MedicalImage<?> image, Path folder, Options options) throws IOException {
        checkGrey(image, folder);
        Series series = new Series(image, options);
        int depth = (int) depth(image);
        try (OutputStaging staging = OutputStaging.begin(folder)) {
            for (int z = 0; z < depth; z++) {
                Path name = Path.of(String.format(Locale.ROOT, "slice-%04d.dcm", z + 1));
                java.nio.file.Files.write(staging.folder().resolve(name), series.slice(z, depth, folder.resolve(name)));
            }
            return staging.commit();
        } catch (DicomException e) {
            throw new ImageFormatException(folder, "cannot be encoded as DICOM: " + e.getMessage(), e);
        }
    }

    private static void checkGrey(MedicalImage<?> image, Path target) throws ImageFormatException {
        if (image.channels() != 1) {
            throw new ImageFormatException(target, "MedSynth writes grey DICOM images only; this one has "
                    + image.channels() + " channels");
        }
    }

    private static long depth(MedicalImage<?> image) {
        return image.geometry().dimensions() == 3 ? image.dimensions()[2] : 1;
    }

    /** What all objects of one write share: UIDs, dates, the stored-value mapping and the shared attributes. */
    private static final class Series {
        final MedicalImage<?> image;
        final Options options;
        final String studyUid;
        final String seriesUid = newUid();
        final String frameOfReferenceUid = newUid();
        final String date;
        final String time;
        final double slope;
        final double intercept;
        final short[] stored;
        final int columns;
        final int rows;

        Series(MedicalImage<?> image, Options options) throws ImageFormatException {
            this.image = image;
            this.options = options;
            studyUid = options.studyUid() != null ? options.studyUid() : newUid();
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
            date = now.format(DateTimeFormatter.BASIC_ISO_DATE);
            time = now.format(DateTimeFormatter.ofPattern("HHmmss"));
            long[] dims = image.dimensions();
            columns = (int) dims[0];
            rows = (int) dims[1];
            if (dims[0] > 65535 || dims[1] > 65535) {
                throw new ImageFormatException(Path.of(""), "DICOM rows and columns are at most 65535");
            }
            double[] values = values(image);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            boolean integral = true;
            for (double v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                integral &= v == Math.rint(v);
            }
            boolean exact = integral && min >= Short.MIN_VALUE && max <= Short.MAX_VALUE
                    && image.modality() != Modality.PT;
            // PET requires Rescale Intercept 0 (PS3.3 C.8.9.4.1.2): there only the slope maps values
            if (exact) {
                slope = 1;
                intercept = 0;
            } else if (image.modality() == Modality.PT) {
                double extent = Math.max(Math.abs(min), Math.abs(max));
                slope = extent == 0 ? 1 : extent / Short.MAX_VALUE;
                intercept = 0;
            } else {
                slope = max > min ? (max - min) / 65535 : 1;
                intercept = min + 32768 * slope;
            }
            stored = new short[values.length];
            for (int i = 0; i < values.length; i++) {
                long s = Math.round((values[i] - intercept) / slope);
                stored[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, s));
            }
        }

        private static double[] values(MedicalImage<?> image) {
            long n = 1;
            for (long d : image.dimensions()) {
                n *= d;
            }
            double[] v = new double[Math.toIntExact(n)];
            Cursor<? extends RealType<?>> c = Views.flatIterable(image.pixels()).cursor();
            for (int i = 0; c.hasNext(); i++) {
                v[i] = c.next().getRealDouble();
            }
            return v;
        }

        String sopClass(boolean multiFrame) {
            if (multiFrame) {
                return MULTIFRAME_WORD_SC;
            }
            return switch (image.modality()) {
                case CT -> CT_IMAGE;
                case MR -> MR_IMAGE;
                case PT -> PET_IMAGE;
                default -> SECONDARY_CAPTURE;
            };
        }

        byte[] slice(int z, int depth, Path target) throws IOException, DicomException {
            String sopClass = sopClass(false);
            AttributeList l = common(target, sopClass);
            Geometry g = image.geometry();
            put(l, new AttributeTag(0x0020, 0x0013), Integer.toString(z + 1)); // Instance Number
            if (!sopClass.equals(SECONDARY_CAPTURE)) {
                double[] origin = g.indexToPhysical(g.dimensions() == 3 ? new double[] {0, 0, z} : new double[] {0, 0});
                put(l, new AttributeTag(0x0020, 0x0032), numbers(origin.length == 3 ? origin : new double[] {origin[0], origin[1], 0}));
                put(l, new AttributeTag(0x0020, 0x0037), numbers(orientation(g)));
                put(l, new AttributeTag(0x0020, 0x1041), number(origin.length == 3 ? origin[2] : 0)); // Slice Location
                put(l, new AttributeTag(0x0018, 0x0050), number(g.dimensions() == 3 ? g.spacing(2) : 1)); // Slice Thickness
            }
            modalityAttributes(l, depth);
            int planeSize = rows * columns;
            short[] plane = new short[planeSize];
            System.arraycopy(stored, z * planeSize, plane, 0, planeSize);
            pixels(l, plane, 1, true);
            return encode(l);
        }

        byte[] multiFrame(Path target) throws IOException, DicomException {
            AttributeList l = common(target, MULTIFRAME_WORD_SC);
            int frames = (int) depth(image);
            put(l, new AttributeTag(0x0020, 0x0013), "1");
            put(l, new AttributeTag(0x0028, 0x0009), "(0x0018,0x0050)"); // Frame Increment Pointer: Slice Thickness
            put(l, new AttributeTag(0x0018, 0x0050), number(image.geometry().spacing(2)));
            put(l, new AttributeTag(0x2050, 0x0020), "IDENTITY"); // Presentation LUT Shape
            // this IOD requires unsigned pixels: stored + 32768, the intercept shifted to match
            short[] unsigned = new short[stored.length];
            for (int i = 0; i < stored.length; i++) {
                unsigned[i] = (short) (stored[i] + 32768);
            }
            put(l, new AttributeTag(0x0028, 0x1052), number(intercept - 32768 * slope));
            put(l, new AttributeTag(0x0028, 0x1053), number(slope));
            put(l, new AttributeTag(0x0028, 0x1054), "US");
            pixels(l, unsigned, frames, false);
            return encode(l);
        }

        private AttributeList common(Path target, String sopClass) throws IOException, DicomException {
            AttributeList l = new AttributeList();
            Provenance p = image.provenance();
            boolean sc = sopClass.equals(SECONDARY_CAPTURE) || sopClass.equals(MULTIFRAME_WORD_SC);
            put(l, new AttributeTag(0x0008, 0x0005), "ISO_IR 192"); // Specific Character Set
            put(l, new AttributeTag(0x0008, 0x0008), "DERIVED", "SECONDARY");
            put(l, new AttributeTag(0x0008, 0x0012), date); // Instance Creation Date
            put(l, new AttributeTag(0x0008, 0x0013), time);
            put(l, new AttributeTag(0x0008, 0x0016), sopClass);
            put(l, new AttributeTag(0x0008, 0x0018), newUid());
            put(l, new AttributeTag(0x0008, 0x0020), date); // Study Date
            put(l, new AttributeTag(0x0008, 0x0021), date); // Series Date
            put(l, new AttributeTag(0x0008, 0x0023), date); // Content Date
            put(l, new AttributeTag(0x0008, 0x0030), time);
            put(l, new AttributeTag(0x0008, 0x0031), time);
            put(l, new AttributeTag(0x0008, 0x0033), time);
            put(l, new AttributeTag(0x0008, 0x0050), ""); // Accession Number
            put(l, new AttributeTag(0x0008, 0x0060), sc ? "OT" : image.modality().dicomCode());
            put(l, new AttributeTag(0x0008, 0x0070), "MedSynth"); // Manufacturer
            put(l, new AttributeTag(0x0008, 0x0090), ""); // Referring Physician's Name
            put(l, new AttributeTag(0x0008, 0x103E), p.synthetic() ? "SYNTHETIC " + p.generatorId() : "MedSynth export");
            put(l, new AttributeTag(0x0008, 0x1090), "MedSynth"); // Manufacturer's Model Name
            put(l, new AttributeTag(0x0018, 0x1020), p.softwareVersion().isEmpty() ? "MedSynth" : p.softwareVersion());
            put(l, new AttributeTag(0x0010, 0x0010), options.patientName());
            put(l, new AttributeTag(0x0010, 0x0020), options.patientId());
            put(l, new AttributeTag(0x0010, 0x0030), ""); // Patient's Birth Date
            put(l, new AttributeTag(0x0010, 0x0040), ""); // Patient's Sex
            put(l, new AttributeTag(0x0020, 0x000D), studyUid);
            put(l, new AttributeTag(0x0020, 0x000E), seriesUid);
            put(l, new AttributeTag(0x0020, 0x0010), "1"); // Study ID
            put(l, new AttributeTag(0x0020, 0x0011), Integer.toString(options.seriesNumber()));
            put(l, new AttributeTag(0x0020, 0x0020), ""); // Patient Orientation
            put(l, new AttributeTag(0x0028, 0x0301), "NO"); // Burned In Annotation
            put(l, new AttributeTag(0x0020, 0x0060), ""); // Laterality
            put(l, new AttributeTag(0x0028, 0x0030), number(image.geometry().spacing(1)), number(image.geometry().spacing(0)));
            if (sc) {
                put(l, new AttributeTag(0x0008, 0x0064), "SYN"); // Conversion Type: synthetic image
            } else {
                put(l, new AttributeTag(0x0020, 0x0052), frameOfReferenceUid);
                put(l, new AttributeTag(0x0020, 0x1040), ""); // Position Reference Indicator
                put(l, new AttributeTag(0x0020, 0x0012), "1"); // Acquisition Number
                if (image.modality() != Modality.PT) {
                    put(l, new AttributeTag(0x0018, 0x5100), ""); // Patient Position (PET uses the orientation codes)
                }
            }
            if (p.synthetic()) {
                put(l, new AttributeTag(0x0008, 0x2111), truncate("SYNTHETIC: " + p.summary(), 1024)); // Derivation Description
                String json = p.toJson();
                if (json.length() > MAX_COMMENT_CHARS) {
                    throw new ImageFormatException(target, "provenance JSON of " + json.length()
                            + " characters does not fit Image Comments (" + MAX_COMMENT_CHARS + ")");
                }
                put(l, new AttributeTag(0x0020, 0x4000), json);
            }
            contributingEquipment(l, p);
            return l;
        }

        private void contributingEquipment(AttributeList l, Provenance p) throws DicomException {
            AttributeList item = new AttributeList();
            SequenceAttribute purpose = new SequenceAttribute(new AttributeTag(0x0040, 0xA170));
            purpose.addItem(new CodedSequenceItem("109102", "DCM", "Processing Equipment").getAttributeList());
            item.put(purpose);
            put(item, new AttributeTag(0x0008, 0x0070), "MedSynth");
            put(item, new AttributeTag(0x0018, 0x1020), p.softwareVersion().isEmpty() ? "MedSynth" : p.softwareVersion());
            put(item, new AttributeTag(0x0018, 0xA003), truncate(p.synthetic()
                    ? "synthetic image made by generator " + p.generatorId() + " " + p.generatorVersion()
                    : "written by MedSynth", 64));
            SequenceAttribute seq = new SequenceAttribute(new AttributeTag(0x0018, 0xA001));
            seq.addItem(new SequenceItem(item));
            l.put(seq);
        }

        private void modalityAttributes(AttributeList l, int depth) throws DicomException {
            IntensityUnit unit = image.unit();
            switch (image.modality()) {
                case CT -> {
                    put(l, new AttributeTag(0x0008, 0x0008), "DERIVED", "SECONDARY", "AXIAL");
                    put(l, new AttributeTag(0x0018, 0x0060), ""); // KVP
                    rescale(l, unit == IntensityUnit.HOUNSFIELD ? "HU" : "US");
                }
                case MR -> {
                    put(l, new AttributeTag(0x0018, 0x0020), "RM"); // Scanning Sequence: research mode
                    put(l, new AttributeTag(0x0018, 0x0021), "NONE");
                    put(l, new AttributeTag(0x0018, 0x0022), "");
                    put(l, new AttributeTag(0x0018, 0x0023), "2D");
                    put(l, new AttributeTag(0x0018, 0x0080), ""); // Repetition Time
                    put(l, new AttributeTag(0x0018, 0x0081), ""); // Echo Time
                    put(l, new AttributeTag(0x0018, 0x0091), ""); // Echo Train Length
                    put(l, new AttributeTag(0x0008, 0x0008), "DERIVED", "SECONDARY", "OTHER");
                    rescale(l, null);
                }
                case PT -> pet(l, unit, depth);
                default -> rescale(l, "US");
            }
        }

        private void pet(AttributeList l, IntensityUnit unit, int depth) throws DicomException {
            put(l, new AttributeTag(0x0054, 0x1001), switch (unit) { // Units
                case SUV_BODY_WEIGHT -> "GML";
                case BECQUEREL_PER_ML -> "BQML";
                default -> "CNTS";
            });
            put(l, new AttributeTag(0x0054, 0x1000), "STATIC", "IMAGE"); // Series Type
            put(l, new AttributeTag(0x0054, 0x1002), "EMISSION"); // Counts Source
            put(l, new AttributeTag(0x0018, 0x1181), ""); // Collimator Type
            put(l, new AttributeTag(0x0054, 0x1102), "NONE"); // Decay Correction
            put(l, new AttributeTag(0x0028, 0x0051), ""); // Corrected Image
            put(l, new AttributeTag(0x0054, 0x0081), Integer.toString(depth)); // Number of Slices
            put(l, new AttributeTag(0x0054, 0x1300), "0"); // Frame Reference Time
            put(l, new AttributeTag(0x0054, 0x1330), "1"); // Image Index
            put(l, new AttributeTag(0x0018, 0x1242), ""); // Actual Frame Duration
            put(l, new AttributeTag(0x0008, 0x0022), date); // Acquisition Date
            put(l, new AttributeTag(0x0008, 0x0032), time);
            l.put(new SequenceAttribute(new AttributeTag(0x0054, 0x0016))); // Radiopharmaceutical Information
            l.put(new SequenceAttribute(new AttributeTag(0x0054, 0x0410))); // Patient Orientation Code
            l.put(new SequenceAttribute(new AttributeTag(0x0054, 0x0414))); // Patient Gantry Relationship Code
            // the PET Image module allows only PRIMARY as value 2
            put(l, new AttributeTag(0x0008, 0x0008), "DERIVED", "PRIMARY");
            rescale(l, null);
        }

        private void rescale(AttributeList l, String type) throws DicomException {
            put(l, new AttributeTag(0x0028, 0x1052), number(intercept));
            put(l, new AttributeTag(0x0028, 0x1053), number(slope));
            if (type != null) {
                put(l, new AttributeTag(0x0028, 0x1054), type);
            }
        }

        private void pixels(AttributeList l, short[] values, int frames, boolean signed) throws DicomException {
            put(l, new AttributeTag(0x0028, 0x0002), "1");
            put(l, new AttributeTag(0x0028, 0x0004), "MONOCHROME2");
            if (frames > 1) {
                put(l, new AttributeTag(0x0028, 0x0008), Integer.toString(frames));
            }
            put(l, new AttributeTag(0x0028, 0x0010), Integer.toString(rows));
            put(l, new AttributeTag(0x0028, 0x0011), Integer.toString(columns));
            put(l, new AttributeTag(0x0028, 0x0100), "16");
            put(l, new AttributeTag(0x0028, 0x0101), "16");
            put(l, new AttributeTag(0x0028, 0x0102), "15");
            put(l, new AttributeTag(0x0028, 0x0103), signed ? "1" : "0");
            OtherWordAttribute pd = new OtherWordAttribute(new AttributeTag(0x7FE0, 0x0010));
            pd.setValues(values);
            l.put(pd);
        }

        private byte[] encode(AttributeList l) throws IOException, DicomException {
            FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "MEDSYNTH");
            ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length * 2 + 4096);
            l.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
            return out.toByteArray();
        }
    }

    private static double[] orientation(Geometry g) {
        double[] d = g.direction();
        int n = g.dimensions();
        // columns 0 and 1 of the direction matrix: the row (x) and column (y) directions
        return n == 3 ? new double[] {d[0], d[3], d[6], d[1], d[4], d[7]} : new double[] {d[0], d[2], 0, d[1], d[3], 0};
    }

    public static String newUid() {
        UUID u = UUID.randomUUID();
        BigInteger value = new BigInteger(1, java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
        return "2.25." + value;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String number(double v) {
        String s = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.10g", v);
        if (s.length() > 16) {
            s = String.format(Locale.ROOT, "%.9g", v);
        }
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    private static String[] numbers(double[] v) {
        String[] s = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = number(Math.abs(v[i]) < 1e-12 ? 0 : v[i]);
        }
        return s;
    }

    private static void put(AttributeList l, AttributeTag tag, String... values) throws DicomException {
        Attribute a = AttributeList.getDictionary().getValueRepresentationFromTag(tag) == null
                ? null : com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        if (a == null) {
            throw new DicomException("no dictionary entry for " + tag);
        }
        for (String v : values) {
            if (!v.isEmpty()) {
                a.addValue(v);
            }
        }
        l.put(a);
    }
}
