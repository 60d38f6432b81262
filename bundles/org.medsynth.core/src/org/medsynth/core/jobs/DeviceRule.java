package org.medsynth.core.jobs;

import java.util.Locale;
import java.util.Objects;

import org.eclipse.core.runtime.jobs.ISchedulingRule;

/**
 * Scheduling rule for an accelerator: jobs holding the rule of the same GPU never run at the same time. CPU is
 * shared: every {@link #cpu()} is a distinct rule that conflicts only with itself, so CPU jobs run side by side.
 */
public final class DeviceRule implements ISchedulingRule {
    private final String device;
    private final boolean exclusive;

    private DeviceRule(String device, boolean exclusive) {
        this.device = device;
        this.exclusive = exclusive;
    }

    /**
     * @param device {@code cpu}, {@code gpu} (meaning gpu:0) or {@code gpu:N}
     */
    public static DeviceRule of(String device) {
        String d = Objects.requireNonNull(device, "device").trim().toLowerCase(Locale.ROOT);
        if (d.equals("cpu")) {
            return cpu();
        }
        if (d.equals("gpu") || d.equals("cuda")) {
            d = "gpu:0";
        }
        if (!d.matches("gpu:\\d+")) {
            throw new IllegalArgumentException("unknown device '" + device + "' (use cpu, gpu or gpu:N)");
        }
        return new DeviceRule(d, true);
    }

    public static DeviceRule cpu() {
        return new DeviceRule("cpu", false);
    }

    public String device() {
        return device;
    }

    public boolean isExclusive() {
        return exclusive;
    }

    @Override
    public boolean contains(ISchedulingRule rule) {
        return rule == this;
    }

    @Override
    public boolean isConflicting(ISchedulingRule rule) {
        if (rule == this) {
            return true;
        }
        return exclusive && rule instanceof DeviceRule other && other.exclusive && other.device.equals(device);
    }

    @Override
    public String toString() {
        return "DeviceRule[" + device + "]";
    }
}
