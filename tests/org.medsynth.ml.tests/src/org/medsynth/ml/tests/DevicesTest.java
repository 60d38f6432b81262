package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.medsynth.ml.Devices;
import org.medsynth.ml.MlEngine;

import ai.djl.Device;
import ai.djl.engine.StandardCapabilities;

/** The test runtime carries the CPU native only, so no GPU is usable whatever the machine has. */
class DevicesTest {

    @Test
    void theTestRuntimeHasTheCpuNativeOnly() {
        assertFalse(MlEngine.pytorch().hasCapability(StandardCapabilities.CUDA));
        assertEquals(List.of(Device.cpu()), Devices.available());
    }

    @Test
    void cpuResolves() {
        assertEquals(Device.cpu(), Devices.resolve("cpu"));
        assertEquals(Device.cpu(), Devices.resolve(" CPU "));
    }

    @Test
    void autoFallsBackToCpu() {
        assertEquals(Device.cpu(), Devices.resolve("auto"));
    }

    @Test
    void explicitGpuIsAClearErrorNotAFallback() {
        for (String choice : List.of("gpu:0", "gpu", "cuda", "GPU:1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.resolve(choice));
            assertTrue(e.getMessage().contains("'" + choice + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("CPU build"), e.getMessage());
            assertTrue(e.getMessage().contains("pytorch-native-cu124:2.5.1"), e.getMessage());
        }
    }

    @Test
    void unknownChoicesListTheAcceptedOnes() {
        for (String choice : List.of("tpu", "gpu:", "gpu:-1", "gpu:x", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.resolve(choice));
            assertTrue(e.getMessage().contains("use auto, cpu, gpu or gpu:N"), e.getMessage());
        }
    }

    @Test
    void idsMatchTheChoiceSyntax() {
        assertEquals("cpu", Devices.id(Device.cpu()));
        assertEquals("gpu:0", Devices.id(Device.gpu()));
        assertEquals("gpu:3", Devices.id(Device.gpu(3)));
    }
}
