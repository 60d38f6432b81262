package org.medsynth.ml;

import java.util.SplittableRandom;

/**
 * One seed for every source of randomness in a run, so that the same seed gives bit-identical results on the CPU.
 */
public final class Seeding {
    private Seeding() {
    }

    /**
     * Seeds PyTorch's global generator (and DJL's own {@code RandomUtils}) and returns a generator for Java-side
     * randomness (shuffling, augmentation choices), split from the same seed.
     * <p>
     * PyTorch takes an {@code int} seed here: {@code seed} is folded to {@link Long#hashCode(long)}, which keeps
     * every seed in {@code [0, 2^31)} unchanged. The PyTorch generator is process-global: two runs that draw from it
     * at the same time disturb each other's sequences, so deterministic runs must not overlap.
     */
    public static SplittableRandom seedAll(long seed) {
        MlEngine.pytorch().setRandomSeed(Long.hashCode(seed));
        return new SplittableRandom(seed);
    }
}
