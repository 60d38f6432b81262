package org.medsynth.ml.weights;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * The parameters of a block tree under dotted names, as a PyTorch {@code state_dict} names them: the child names
 * the blocks were registered under, joined by dots, then the parameter name ({@code down.0.1.res.conv1.weight}).
 * DJL prefixes each child's name with its 1-based position ({@code 01conv1}); that prefix is removed.
 */
public final class NamedParameters {
    private NamedParameters() {
    }

    /** Every parameter of {@code block}, in registration order. */
    public static Map<String, Parameter> of(Block block) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        collect(block, "", named);
        return named;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> named) {
        for (Pair<String, Parameter> parameter : block.getDirectParameters()) {
            named.put(prefix + parameter.getKey(), parameter.getValue());
        }
        int position = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            position++;
            String key = child.getKey();
            String number = String.format(Locale.ROOT, "%02d", position);
            String name = key.startsWith(number) ? key.substring(number.length()) : key;
            collect(child.getValue(), prefix + name + ".", named);
        }
    }
}
