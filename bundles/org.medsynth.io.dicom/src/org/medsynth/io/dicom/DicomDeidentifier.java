package org.medsynth.io.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.ClinicalTrialsAttributes;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.ValueRepresentation;

import org.medsynth.core.api.ImageFormatException;
import org.medsynth.core.jobs.AtomicFiles;
import org.medsynth.io.dicom.internal.DicomHeader;
import org.medsynth.io.dicom.internal.PixelMedCalls;

/**
 * De-identification on export, following the PS3.15 Basic Application Level Confidentiality Profile: PixelMed's
 * implementation of the profile's attribute table removes or empties the identifying attributes (descriptions
 * included), all private attributes are removed, Patient's Name and ID become the given pseudonyms, and Patient
 * Identity Removed / De-identification Method record what was done. Every instance UID (any UID outside the DICOM
 * root 1.2.840.10008, in any sequence) is replaced through this object's map, so files de-identified by one
 * instance keep their study, series, frame of reference and references consistent; a new instance starts a new map.
 * Images with burned-in annotation are refused: their pixels may identify the patient.
 */
public final class DicomDeidentifier {
    private static final String DICOM_ROOT = "1.2.840.10008.";

    private final String pseudonymName;
    private final String pseudonymId;
    private final Map<String, String> uids = new HashMap<>();

    public DicomDeidentifier(String pseudonymName, String pseudonymId) {
        this.pseudonymName = pseudonymName;
        this.pseudonymId = pseudonymId;
    }

    /** Writes a de-identified copy of {@code source} to {@code target} (explicit VR little endian, atomically). */
    public void deidentify(Path source, Path target) throws IOException {
        DicomHeader.read(source);
        AttributeList l = PixelMedCalls.parse(source);
        if ("YES".equalsIgnoreCase(Attribute.getSingleStringValueOrEmptyString(l, new AttributeTag(0x0028, 0x0301)))) {
            throw new ImageFormatException(source, "has burned-in annotation; its pixels may identify the patient");
        }
        try {
            ClinicalTrialsAttributes.removeOrNullIdentifyingAttributes(l, ClinicalTrialsAttributes.HandleUIDs.keep,
                    false, false);
            l.removePrivateAttributes();
            l.removeGroupLengthAttributes();
            l.removeMetaInformationHeaderAttributes();
            remapUids(l);
            put(l, new AttributeTag(0x0010, 0x0010), pseudonymName);
            put(l, new AttributeTag(0x0010, 0x0020), pseudonymId);
            put(l, new AttributeTag(0x0012, 0x0062), "YES"); // Patient Identity Removed
            put(l, new AttributeTag(0x0012, 0x0063), "PS3.15 Basic Application Confidentiality Profile");
            SequenceAttribute method = new SequenceAttribute(new AttributeTag(0x0012, 0x0064));
            method.addItem(new CodedSequenceItem("113100", "DCM", "Basic Application Confidentiality Profile").getAttributeList());
            l.put(method);
            FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "MEDSYNTH");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            l.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
            AtomicFiles.write(target, out.toByteArray());
        } catch (DicomException e) {
            throw new ImageFormatException(source, "cannot be de-identified: " + e.getMessage(), e);
        }
    }

    /** The replacement so far of each original instance UID. */
    public Map<String, String> uidMap() {
        return Map.copyOf(uids);
    }

    private void remapUids(AttributeList l) throws DicomException {
        for (Attribute a : l.values()) {
            if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) {
                    SequenceItem item = s.getItem(i);
                    remapUids(item.getAttributeList());
                }
            } else if (ValueRepresentation.isUniqueIdentifierVR(a.getVR()) && a.getVM() > 0) {
                String[] values = a.getStringValues();
                a.removeValues();
                for (String v : values) {
                    a.addValue(v.startsWith(DICOM_ROOT) ? v : uids.computeIfAbsent(v, k -> DicomWriter.newUid()));
                }
            }
        }
    }

    private static void put(AttributeList l, AttributeTag tag, String value) throws DicomException {
        Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        a.addValue(value);
        l.put(a);
    }
}
