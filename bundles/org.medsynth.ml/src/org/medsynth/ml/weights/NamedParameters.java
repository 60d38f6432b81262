package org.medsynth.ml.weights;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;

/**
 * The parameters of a block tree under dotted names, as a PyTorch {@code state_dict} names them: the child names
 * the blocks were registered under, joined by dots, then the parameter name ({@code down.0.1.res.conv1.weight}).
 * DJL prefixes each child's name with its 1-based position ({@code 01conv1}); that prefix is removed. The children
 * of a {@link SequentialBlock} are named by their 0-based index, as in an {@code nn.Sequential} ({@code 0.weight},
 * {@code 2.weight}): their DJL names repeat the child's type ({@code 01Conv2d}, {@code 03Conv2d}).
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
            String name = prefix + parameter.getKey();
            if (named.put(name, parameter.getValue()) != null) {
                throw new IllegalStateException("two parameters of the block tree are named " + name);
            }
        }
        int position = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            position++;
            String key = child.getKey();
            String number = String.format(Locale.ROOT, "%02d", position);
            String name = block instanceof SequentialBlock ? Integer.toString(position - 1)
                    : key.startsWith(number) ? key.substring(number.length()) : key;
            collect(child.getValue(), prefix + name + ".", named);
        }
    }
}
