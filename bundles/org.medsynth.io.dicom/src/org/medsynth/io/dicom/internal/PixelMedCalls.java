package org.medsynth.io.dicom.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.spi.IIORegistry;

import com.github.jaiimageio.jpeg2000.impl.J2KImageReaderSpi;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.imageio.JPEGLosslessImageReaderSpi;

import org.medsynth.core.api.ImageFormatException;

/**
 * The one place MedSynth calls PixelMed's parser: every failure it can raise on bad input becomes an
 * {@link ImageFormatException} naming the file. Also registers the JPEG 2000 and JPEG lossless ImageIO readers
 * explicitly: ImageIO's own service lookup goes through the thread context class loader, which in OSGi sees neither.
 */
public final class PixelMedCalls {
    static {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        registry.registerServiceProvider(new J2KImageReaderSpi());
        registry.registerServiceProvider(new JPEGLosslessImageReaderSpi());
    }

    private PixelMedCalls() {
    }

    /** Parses the whole of {@code file}, decompressing the pixels. */
    public static AttributeList parse(Path file) throws ImageFormatException {
        AttributeList list = new AttributeList();
        parse(file, null, list);
        return list;
    }

    /**
     * Parses {@code file} into {@code list} up to {@code stopAt} (whole file when null).
     *
     * @return the bytes read, which for a stop tag ends just after that tag's 4 bytes
     */
    static long parse(Path file, AttributeTag stopAt, AttributeList list) throws ImageFormatException {
        try {
            return stopAt == null ? list.read(file.toFile()) : list.read(file.toFile(), stopAt);
        } catch (EOFException e) {
            throw new ImageFormatException(file, "is truncated (ends inside an element)", e);
        } catch (IOException | DicomException e) {
            throw new ImageFormatException(file, "is not readable DICOM: " + message(e), e);
        } catch (OutOfMemoryError e) {
            throw new ImageFormatException(file, "declares an element longer than memory allows (corrupt length?)", e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new ImageFormatException(file, "is malformed DICOM: " + message(e), e);
        } catch (Error e) {
            if (e.getClass() != Error.class) {
                throw e;
            }
            // the JPEG 2000 decoder (jj2000) reports a corrupt code stream as a plain java.lang.Error
            throw new ImageFormatException(file, "has Pixel Data that cannot be decoded: " + message(e), e);
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
