package org.medsynth.radiography.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsynth.ml.MlEngine;
import org.medsynth.radiography.tomography.Reconstruction;
import org.medsynth.radiography.tomography.TomographyNetwork;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** The encoder–decoder's shape: the paper's 256² → 8² → 128 channels of 128², and a small one run end to end. */
class TomographyNetworkTest {

    @Test
    void thePapersSettingsGoDownFiveLevelsAndUpFour() {
        TomographyNetwork paper = new TomographyNetwork(256, 128, 8, 32, 512);
        assertEquals(5, paper.encoderLevels());
        assertEquals(4, paper.decoderLevels());
        assertEquals(32, paper.channels(0));
        assertEquals(512, paper.channels(5));
    }

    @Test
    void aSmallNetworkMapsXraysToDepthCubesInTheDensityRange() {
        TomographyNetwork spec = new TomographyNetwork(16, 8, 2, 4, 16);
        MlEngine.inEngineContext(() -> {
            try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
                TomographyNetwork.Net network = spec.build();
                network.initialize(manager, DataType.FLOAT32);
                float[] xray = new float[16 * 16];
                for (int p = 0; p < xray.length; p++) {
                    xray[p] = (p % 16) / 16f;
                }
                float[][] volumes = Reconstruction.coarse(network, List.of(xray, new float[16 * 16]), manager);
                assertEquals(2, volumes.length);
                assertEquals(8 * 8 * 8, volumes[0].length);
                for (float v : volumes[0]) {
                    assertTrue(v >= 0 && v <= 1, "clipped density " + v);
                }
            }
            return null;
        });
    }

    @Test
    void shapesThatDoNotHalveEvenlyAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TomographyNetwork(64, 24, 8, 16, 128));
        assertTrue(e.getMessage().contains("power-of-two multiple"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TomographyNetwork(64, 32, 8, 16, 8));
        assertTrue(e.getMessage().contains("cap"), e.getMessage());
    }
}
