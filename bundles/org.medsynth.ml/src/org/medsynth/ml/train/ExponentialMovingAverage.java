package org.medsynth.ml.train;

import java.util.LinkedHashMap;
import java.util.Map;

import org.medsynth.ml.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;

/**
 * An exponential moving average of parameters ({@code ema ← decay·ema + (1−decay)·p} after each update, starting
 * from the parameters' values when it is created), as diffusion models are sampled from (DDPM uses decay 0.9999,
 * UXDiff 0.999). The averages are separate arrays; {@link #writeInto} puts them into the parameters for saving or
 * sampling.
 */
public final class ExponentialMovingAverage {
    private final double decay;
    private final Map<String, NDArray> averages;

    /** Starts the averages at the current values of {@code parameters}. */
    public ExponentialMovingAverage(double decay, Map<String, Parameter> parameters, NDManager manager) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("the EMA decay must lie in (0, 1), got " + decay);
        }
        this.decay = decay;
        this.averages = ParameterArrays.copy(parameters, manager);
    }

    public double decay() {
        return decay;
    }

    /** Moves the averages towards the parameters' current values. */
    public void update(Map<String, Parameter> parameters) {
        averages.forEach((name, average) -> {
            try (NDArray current = parameters.get(name).getArray().stopGradient();
                    NDArray share = Scalars.times(current, 1 - decay)) {
                Scalars.timesInPlace(average, decay).addi(share);
            }
        });
    }

    /** The averages under the parameters' names (live arrays, for a checkpoint). */
    public Map<String, NDArray> averages() {
        return new LinkedHashMap<>(averages);
    }

    /** Replaces the averages with those of a checkpoint. */
    public void restore(Map<String, NDArray> saved) {
        averages.forEach((name, average) -> {
            NDArray value = saved.get(name);
            if (value == null) {
                throw new IllegalArgumentException("the checkpoint holds no moving average of parameter " + name);
            }
            average.set(new NDIndex("..."), value);
        });
    }

    /** Writes the averages into the parameters (replacing the trained values). */
    public void writeInto(Map<String, Parameter> parameters) {
        ParameterArrays.write(averages, parameters);
    }
}
