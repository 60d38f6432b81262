package org.medsynth.core.api;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A declared parameter of a contribution (from its {@code <parameter>} element). The CLI options, the GUI form and
 * the run record are all derived from this one declaration.
 */
public record ParameterSpec(String name, Type type, String defaultValue, Double min, Double max, List<String> choices,
        String unit, String help) {

    public enum Type {
        INT, DOUBLE, BOOLEAN, STRING, CHOICE, PATH;

        public static Type parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown parameter type '" + text + "'", e);
            }
        }
    }

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("parameter name '" + name + "' must be lower-case letters, digits and dashes");
        }
        Objects.requireNonNull(type, "type");
        choices = List.copyOf(Objects.requireNonNullElse(choices, List.of()));
        unit = Objects.requireNonNullElse(unit, "");
        help = Objects.requireNonNullElse(help, "");
        if (type == Type.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("choice parameter '" + name + "' declares no choices");
        }
        if (defaultValue != null) {
            // a default outside its own range is a contribution bug: fail when the declaration is read
            new ParameterSpec(name, type, null, min, max, choices, unit, help).parse(defaultValue);
        }
    }

    public boolean required() {
        return defaultValue == null;
    }

    /** Converts text to the typed value, or throws with a message that names the parameter and the problem. */
    public Object parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("parameter '" + name + "' needs a value");
        }
        String t = text.trim();
        return switch (type) {
            case INT -> (Object) checkRange(parseNumber(t, true)).intValue();
            case DOUBLE -> checkRange(parseNumber(t, false));
            case BOOLEAN -> switch (t.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> Boolean.TRUE;
                case "false", "no", "0" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("parameter '" + name + "': '" + text + "' is not true or false");
            };
            case CHOICE -> {
                if (!choices.contains(t)) {
                    throw new IllegalArgumentException("parameter '" + name + "': '" + text + "' is not one of " + choices);
                }
                yield t;
            }
            case STRING, PATH -> t;
        };
    }

    private Double parseNumber(String t, boolean integer) {
        try {
            double v = integer ? Long.parseLong(t) : Double.parseDouble(t);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + name + "': '" + t + "' is not " + (integer ? "an integer" : "a number"));
        }
    }

    private Double checkRange(Double v) {
        if (min != null && v < min) {
            throw new IllegalArgumentException("parameter '" + name + "': " + format(v) + " is below the minimum " + format(min));
        }
        if (max != null && v > max) {
            throw new IllegalArgumentException("parameter '" + name + "': " + format(v) + " is above the maximum " + format(max));
        }
        return v;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** "--name <int 16..1024, default 256 px>  help" style description used by --help and tooltips. */
    public String describeRange() {
        StringBuilder sb = new StringBuilder(type.name().toLowerCase(Locale.ROOT));
        if (type == Type.CHOICE) {
            sb.append(' ').append(String.join("|", choices));
        }
        if (min != null || max != null) {
            sb.append(' ').append(min == null ? "" : format(min)).append("..").append(max == null ? "" : format(max));
        }
        if (!unit.isEmpty()) {
            sb.append(' ').append(unit);
        }
        sb.append(required() ? ", required" : ", default " + defaultValue);
        return sb.toString();
    }
}
