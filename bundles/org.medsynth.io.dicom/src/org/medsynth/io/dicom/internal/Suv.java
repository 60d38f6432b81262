package org.medsynth.io.dicom.internal;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.pixelmed.dicom.AttributeList;

import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.io.dicom.internal.VolumeAssembler.Rescale;

/**
 * Body-weight SUV of a PET series: activity concentration (Bq/ml) × patient weight (g) / injected dose decayed to the
 * reference time (Bq). The reference time is the Series Time when Decay Correction is START (PS3.3 C.8.9.1), none
 * when it is ADMIN. Missing tags leave the values in Bq/ml (or arbitrary units) with a warning naming them.
 */
final class Suv {
    private Suv() {
    }

    static Rescale of(DicomHeader h, List<String> warnings) throws ImageFormatException {
        String units = h.string(Tags.UNITS, "");
        if (units.equalsIgnoreCase("GML")) {
            return new Rescale(IntensityUnit.SUV_BODY_WEIGHT, 1);
        }
        if (!units.equalsIgnoreCase("BQML")) {
            warnings.add("PET Units are '" + units + "', not BQML: values left as stored × rescale, no SUV");
            return new Rescale(IntensityUnit.ARBITRARY, 1);
        }
        List<String> missing = new ArrayList<>();
        double[] weight = h.numbers(h.list, Tags.PATIENT_WEIGHT);
        AttributeList drug = DicomHeader.item(h.list, Tags.RADIOPHARMACEUTICAL_INFORMATION_SEQUENCE, 0);
        double[] dose = drug == null ? null : h.numbers(drug, Tags.RADIONUCLIDE_TOTAL_DOSE);
        double[] halfLife = drug == null ? null : h.numbers(drug, Tags.RADIONUCLIDE_HALF_LIFE);
        String start = drug == null ? null : DicomHeader.string(drug, Tags.RADIOPHARMACEUTICAL_START_TIME, null);
        if (start == null && drug != null) {
            String dateTime = DicomHeader.string(drug, Tags.RADIOPHARMACEUTICAL_START_DATE_TIME, null);
            start = dateTime != null && dateTime.length() > 8 ? dateTime.substring(8) : null;
        }
        String correction = h.string(Tags.DECAY_CORRECTION, "");
        String seriesTime = h.string(Tags.SERIES_TIME, null);
        if (weight == null || !(weight[0] > 0)) {
            missing.add("Patient's Weight");
        }
        if (dose == null || !(dose[0] > 0)) {
            missing.add("Radionuclide Total Dose");
        }
        boolean decay = correction.equalsIgnoreCase("START");
        if (!decay && !correction.equalsIgnoreCase("ADMIN")) {
            missing.add("Decay Correction START or ADMIN (is '" + correction + "')");
        }
        if (decay && (halfLife == null || !(halfLife[0] > 0))) {
            missing.add("Radionuclide Half Life");
        }
        if (decay && (start == null || seriesTime == null)) {
            missing.add("Radiopharmaceutical Start Time and Series Time");
        }
        if (!missing.isEmpty()) {
            warnings.add("SUV not computed, values are Bq/ml: missing " + String.join(", ", missing));
            return new Rescale(IntensityUnit.BECQUEREL_PER_ML, 1);
        }
        double decayedDose = dose[0];
        if (decay) {
            double seconds = secondsBetween(h, start, seriesTime);
            decayedDose *= Math.pow(2, -seconds / halfLife[0]);
        }
        warnings.add(String.format(Locale.ROOT, "SUV (body weight): weight %.4g kg, dose %.4g Bq decayed to %.4g Bq",
                weight[0], dose[0], decayedDose));
        return new Rescale(IntensityUnit.SUV_BODY_WEIGHT, weight[0] * 1000 / decayedDose);
    }

    /** Seconds from injection to series start; a series time before the injection time means the next day. */
    private static double secondsBetween(DicomHeader h, String start, String seriesTime) throws ImageFormatException {
        LocalTime injected = time(h, start);
        LocalTime series = time(h, seriesTime);
        double s = Duration.between(injected, series).toNanos() / 1e9;
        return s < 0 ? s + 86400 : s;
    }

    private static LocalTime time(DicomHeader h, String tm) throws ImageFormatException {
        String t = tm.trim().replace(":", "");
        try {
            int hh = Integer.parseInt(t.substring(0, 2));
            int mm = t.length() >= 4 ? Integer.parseInt(t.substring(2, 4)) : 0;
            double ss = t.length() > 4 ? Double.parseDouble(t.substring(4)) : 0;
            return LocalTime.of(hh, mm, (int) ss, (int) Math.round((ss - (int) ss) * 1e9) % 1_000_000_000);
        } catch (RuntimeException e) {
            throw new ImageFormatException(h.file, "time '" + tm + "' is not a DICOM TM value");
        }
    }
}
