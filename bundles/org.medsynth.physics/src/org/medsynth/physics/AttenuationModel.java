package org.medsynth.physics;

/**
 * Linear attenuation from Hounsfield units at one photon energy, as a water/cortical-bone mixture.
 *
 * <p>Mass attenuation coefficients μ/ρ (cm²/g, total with coherent scattering) are the NIST tables of Hubbell and
 * Seltzer ("X-Ray Mass Attenuation Coefficients", NIST Standard Reference Database 126) for liquid water and for
 * ICRU-44 cortical bone (ρ = 1.92 g/cm³), interpolated log–log between the tabulated energies. A polychromatic tube
 * spectrum is represented by its effective energy; the default rule of thumb takes {@value #DEFAULT_EFFECTIVE_FRACTION}
 * of the peak voltage (filtered tungsten spectra have effective energies between a third and a half of the kVp).
 *
 * <p>HU ≤ 0 is water of density 1 + HU/1000 (air at −1000); HU > 0 mixes water and cortical bone with bone fraction
 * HU / {@value #CORTICAL_BONE_HU}, saturating at pure cortical bone.
 */
public final class AttenuationModel {

    public static final double DEFAULT_EFFECTIVE_FRACTION = 0.45;
    public static final double CORTICAL_BONE_HU = 1900;
    private static final double CORTICAL_BONE_DENSITY = 1.92;

    private static final double[] ENERGY_KEV = {20, 30, 40, 50, 60, 80, 100, 150};
    private static final double[] WATER = {0.8096, 0.3756, 0.2683, 0.2269, 0.2059, 0.1837, 0.1707, 0.1505};
    private static final double[] CORTICAL_BONE = {4.001, 1.331, 0.6655, 0.4242, 0.3148, 0.2229, 0.1855, 0.1480};

    private final double energyKeV;
    private final double waterPerMm;
    private final double bonePerMm;

    private AttenuationModel(double energyKeV) {
        if (!(energyKeV >= ENERGY_KEV[0] && energyKeV <= ENERGY_KEV[ENERGY_KEV.length - 1])) {
            throw new IllegalArgumentException("effective energy " + energyKeV + " keV is outside the tabulated "
                    + ENERGY_KEV[0] + "–" + ENERGY_KEV[ENERGY_KEV.length - 1] + " keV");
        }
        this.energyKeV = energyKeV;
        // cm²/g × g/cm³ = 1/cm; /10 for 1/mm
        this.waterPerMm = interpolate(WATER, energyKeV) / 10;
        this.bonePerMm = interpolate(CORTICAL_BONE, energyKeV) * CORTICAL_BONE_DENSITY / 10;
    }

    /** Model at a monochromatic energy. */
    public static AttenuationModel atEnergy(double keV) {
        return new AttenuationModel(keV);
    }

    /** Model at the effective energy of a tube voltage ({@link #DEFAULT_EFFECTIVE_FRACTION} × kVp). */
    public static AttenuationModel atKvp(double kvp) {
        return new AttenuationModel(DEFAULT_EFFECTIVE_FRACTION * kvp);
    }

    public double energyKeV() {
        return energyKeV;
    }

    /** Linear attenuation coefficient of water, 1/mm. */
    public double waterPerMm() {
        return waterPerMm;
    }

    /** Linear attenuation coefficient of cortical bone, 1/mm. */
    public double corticalBonePerMm() {
        return bonePerMm;
    }

    /** μ (1/mm) of a voxel with the given HU. */
    public double attenuationPerMm(double hu) {
        if (hu <= 0) {
            return Math.max(0, 1 + hu / 1000) * waterPerMm;
        }
        double bone = Math.min(1, hu / CORTICAL_BONE_HU);
        return (1 - bone) * waterPerMm + bone * bonePerMm;
    }

    /** Converts a HU volume to μ (1/mm), in parallel over slices. */
    public Volume attenuation(Volume hu) {
        float[] in = hu.data();
        float[] out = new float[in.length];
        int slice = hu.nx() * hu.ny();
        java.util.stream.IntStream.range(0, hu.nz()).parallel().forEach(z -> {
            for (int i = z * slice; i < (z + 1) * slice; i++) {
                out[i] = (float) attenuationPerMm(in[i]);
            }
        });
        return hu.withData(out);
    }

    private static double interpolate(double[] table, double keV) {
        int i = 0;
        while (i < ENERGY_KEV.length - 2 && keV > ENERGY_KEV[i + 1]) {
            i++;
        }
        double f = Math.log(keV / ENERGY_KEV[i]) / Math.log(ENERGY_KEV[i + 1] / ENERGY_KEV[i]);
        return Math.exp(Math.log(table[i]) + f * Math.log(table[i + 1] / table[i]));
    }
}
