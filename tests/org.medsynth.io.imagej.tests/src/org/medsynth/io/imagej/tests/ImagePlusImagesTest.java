package org.medsynth.io.imagej.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.io.imagej.ImagePlusImages;

class ImagePlusImagesTest {
    private static final Geometry PLANE = new Geometry(new double[] {0.7, 0.45}, new double[] {-10.5, 3.25},
            Geometry.identity(2));

    private static <T extends RealType<T>> void set(Img<T> img, double value, long... position) {
        RandomAccess<T> ra = img.randomAccess();
        ra.setPosition(position);
        ra.get().setReal(value);
    }

    private static <T extends RealType<T>> double get(Img<T> img, long... position) {
        RandomAccess<T> ra = img.randomAccess();
        ra.setPosition(position);
        return ra.get().getRealDouble();
    }

    @Test
    void planesOfUnsigned8And16BitAndFloatImagesAreSharedBothWays() {
        List<Img<? extends RealType<?>>> images = List.of(ArrayImgs.unsignedBytes(5, 4), ArrayImgs.unsignedShorts(5, 4),
                ArrayImgs.floats(5, 4));
        for (Img<? extends RealType<?>> img : images) {
            MedicalImage<?> image = medical(img, PLANE);
            ImagePlus imp = ImagePlusImages.toImagePlus(image, "shared");
            ImageProcessor ip = imp.getProcessor();
            ip.putPixelValue(2, 3, 42);
            assertEquals(42, get(raw(img), 2, 3), img.firstElement().getClass().getSimpleName());
            set(raw(img), 7, 1, 1);
            assertEquals(7, ip.getPixelValue(1, 1), img.firstElement().getClass().getSimpleName());
            assertEquals(0.7, imp.getCalibration().pixelWidth);
            assertEquals(0.45, imp.getCalibration().pixelHeight);
            assertEquals("mm", imp.getCalibration().getUnit());
            assertEquals(15, imp.getCalibration().xOrigin, 1e-12);

            MedicalImage<?> back = ImagePlusImages.toMedicalImage(imp);
            assertEquals(PLANE, back.geometry());
            assertEquals(Modality.CT, back.modality());
            set(raw(back.pixels()), 9, 4, 0);
            assertEquals(9, ip.getPixelValue(4, 0));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static MedicalImage<?> medical(Img<?> img, Geometry geometry) {
        return MedicalImage.of((Img) img, geometry, Modality.CT, IntensityUnit.HOUNSFIELD);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Img raw(Img<?> img) {
        return img;
    }

    @Test
    void planarVolumeSharesItsPlanesWithTheStackAndComesBackPlanar() {
        PlanarImg<UnsignedShortType, ?> volume = PlanarImgs.unsignedShorts(6, 5, 3);
        Geometry geometry = new Geometry(new double[] {0.8, 0.8, 2.5}, new double[] {1, 2, 3}, Geometry.identity(3));
        ImagePlus imp = ImagePlusImages.toImagePlus(medical(volume, geometry), "volume");
        assertEquals(3, imp.getNSlices());
        assertEquals(2.5, imp.getCalibration().pixelDepth);
        for (int z = 0; z < 3; z++) {
            assertSame(volume.getPlane(z).getCurrentStorageArray(), imp.getStack().getPixels(z + 1));
        }
        imp.getStack().getProcessor(3).putPixelValue(5, 4, 1234);
        assertEquals(1234, get(volume, 5, 4, 2));

        MedicalImage<?> back = ImagePlusImages.toMedicalImage(imp);
        assertInstanceOf(PlanarImg.class, back.pixels());
        assertEquals(geometry, back.geometry());
        set(raw(back.pixels()), 77, 0, 1, 1);
        assertEquals(77, imp.getStack().getProcessor(2).getPixelValue(0, 1));
    }

    @Test
    void hyperstackChannelsAndSlicesMapToTheChannelAxisAndZ() {
        int width = 4;
        int height = 3;
        ImageStack stack = new ImageStack(width, height);
        for (int i = 0; i < 6; i++) {
            float[] plane = new float[width * height];
            java.util.Arrays.fill(plane, i);
            stack.addSlice(null, plane);
        }
        ImagePlus imp = new ImagePlus("hyperstack", stack);
        imp.setDimensions(2, 3, 1);
        MedicalImage<?> image = ImagePlusImages.toMedicalImage(imp);
        assertArrayEquals(new long[] {4, 3, 3, 2}, image.dimensions());
        assertEquals(List.of("channel 0", "channel 1"), image.channelLabels());
        for (int z = 0; z < 3; z++) {
            for (int c = 0; c < 2; c++) {
                // ImageJ orders the stack channel fastest: index c + 2z
                assertEquals(c + 2 * z, get(raw(image.pixels()), 1, 1, z, c), "z " + z + " c " + c);
            }
        }
        set(raw(image.pixels()), -5, 3, 2, 1, 1);
        assertEquals(-5, imp.getStack().getProcessor(imp.getStackIndex(2, 2, 1)).getf(3, 2));

        ImagePlus again = ImagePlusImages.toImagePlus(image, "again");
        assertEquals(2, again.getNChannels());
        assertEquals(3, again.getNSlices());
        assertSame(imp.getStack().getPixels(4), again.getStack().getPixels(4));
    }

    @Test
    void signedShortIsCopiedWithImageJsSigned16BitCalibration() {
        Img<ShortType> ct = ArrayImgs.shorts(new short[] {-1024, -1, 0, 1, 3071, Short.MIN_VALUE}, 3, 2);
        ImagePlus imp = ImagePlusImages.toImagePlus(medical(ct, Geometry.isotropic(2, 1)), "ct");
        assertTrue(imp.getCalibration().isSigned16Bit());
        assertEquals("HU", imp.getCalibration().getValueUnit());
        assertEquals(-1024, imp.getProcessor().getPixelValue(0, 0));
        assertEquals(3071, imp.getProcessor().getPixelValue(1, 1));
        assertEquals(-1024 + 32768, imp.getProcessor().get(0, 0));

        MedicalImage<?> back = ImagePlusImages.toMedicalImage(imp);
        assertInstanceOf(ShortType.class, back.pixels().firstElement());
        assertArrayEquals(new double[] {-1024, -1, 0, 1, 3071, Short.MIN_VALUE}, ReferenceFiles.values(back));
    }

    @Test
    void volumeInOneArrayAndOtherTypesAreCopiedWithTheirValues() {
        Img<FloatType> volume = ArrayImgs.floats(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        ImagePlus imp = ImagePlusImages.toImagePlus(medical(volume, Geometry.isotropic(3, 1)), "copy");
        assertEquals(2, imp.getNSlices());
        assertEquals(7, imp.getStack().getProcessor(2).getf(0, 1));
        imp.getStack().getProcessor(2).setf(0, 1, 100);
        assertEquals(7, get(volume, 0, 1, 1), "a copy: the ImageJ write is not seen");

        Img<?> doubles = ArrayImgs.doubles(new double[] {0.25, -1e6, 3.5, 1e-3}, 2, 2);
        ImagePlus asFloat = ImagePlusImages.toImagePlus(medical(doubles, Geometry.isotropic(2, 1)), "doubles");
        assertEquals(32, asFloat.getBitDepth());
        assertEquals(-1e6, asFloat.getProcessor().getf(1, 0));
        assertEquals((float) 1e-3, asFloat.getProcessor().getf(1, 1));
    }

    @Test
    void rgbAndNonLengthCalibrationsAreRefusedWithTheReason() {
        ImagePlus rgb = new ImagePlus("photo", new ColorProcessor(4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImagePlusImages.toMedicalImage(rgb));
        assertTrue(e.getMessage().contains("'photo' is an RGB colour image"), e.getMessage());

        ImagePlus timed = new ImagePlus("timed", new ij.process.FloatProcessor(4, 4));
        timed.getCalibration().setUnit("sec");
        e = assertThrows(IllegalArgumentException.class, () -> ImagePlusImages.toMedicalImage(timed));
        assertTrue(e.getMessage().contains("calibration unit 'sec' is not a length unit"), e.getMessage());
    }
}
