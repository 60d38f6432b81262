package org.medsynth.core.image;

/** What a pixel value means physically. */
public enum IntensityUnit {
    HOUNSFIELD("HU", "CT number"),
    SUV_BODY_WEIGHT("g/ml", "standardised uptake value (body weight)"),
    BECQUEREL_PER_ML("Bq/ml", "activity concentration"),
    LINEAR_ATTENUATION("1/mm", "linear attenuation coefficient"),
    OPACITY("1", "x-ray opacity / transmission, dimensionless"),
    LABEL("label", "integer class label"),
    ARBITRARY("a.u.", "arbitrary units");

    private final String symbol;
    private final String description;

    IntensityUnit(String symbol, String description) {
        this.symbol = symbol;
        this.description = description;
    }

    public String symbol() {
        return symbol;
    }

    public String description() {
        return description;
    }

    public static IntensityUnit fromSymbol(String symbol) {
        for (IntensityUnit u : values()) {
            if (u.symbol.equalsIgnoreCase(symbol) || u.name().equalsIgnoreCase(symbol)) {
                return u;
            }
        }
        throw new IllegalArgumentException("unknown intensity unit '" + symbol + "'");
    }
}
