package org.medsynth.ml.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import org.medsynth.core.jobs.AtomicFiles;
import org.medsynth.ml.MlEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/**
 * Weights as NumPy {@code .npz} archives of named arrays: the neutral format in which a PyTorch {@code state_dict}
 * reaches MedSynth without pickles ({@code numpy.savez(path, **{k: v.numpy() for k, v in sd.items()})}). Arrays are
 * matched to a block's parameters by name ({@link NamedParameters}), through a mapping from MedSynth's names to the
 * archive's when the source network named its modules differently. Float64 arrays are converted to float32.
 */
public final class NpzWeights {
    private NpzWeights() {
    }

    /** Parameters named as in the archive. */
    public static final UnaryOperator<String> SAME_NAMES = UnaryOperator.identity();

    /**
     * Initialises the new {@code block} in {@code manager} with the archive's arrays: parameter {@code p} gets the
     * array named {@code sourceName(p)}.
     *
     * @throws IOException naming the file and the problem: not an .npz archive, a parameter without an array, an
     *                     array of another shape, or arrays no parameter takes (a sign of a wrong mapping)
     * @throws IllegalStateException when the block was already initialised
     */
    public static void importInto(Block block, Path npz, NDManager manager, UnaryOperator<String> sourceName)
            throws IOException {
        if (block.isInitialized()) {
            throw new IllegalStateException("import weights into a newly built block; this one is initialised");
        }
        Map<String, Parameter> parameters = NamedParameters.of(block);
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> arrays = read(npz, scratch);
            Set<String> unused = new TreeSet<>(arrays.keySet());
            Set<String> missing = new TreeSet<>();
            for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
                String source = sourceName.apply(entry.getKey());
                NDArray array = arrays.get(source);
                if (array == null) {
                    missing.add(source + (source.equals(entry.getKey()) ? "" : " (for " + entry.getKey() + ")"));
                    continue;
                }
                unused.remove(source);
                Shape expected = entry.getValue().getShape();
                if (!array.getShape().equals(expected)) {
                    throw new IOException(npz + ": array '" + source + "' has shape " + array.getShape() + " but "
                            + "parameter " + entry.getKey() + " needs " + expected);
                }
                entry.getValue().setInitializer(new Imported(array.toType(DataType.FLOAT32, false).toFloatArray()));
            }
            if (!missing.isEmpty()) {
                throw new IOException(npz + " has no array for " + missing.size() + " parameter(s): " + missing);
            }
            if (!unused.isEmpty()) {
                throw new IOException(npz + " has " + unused.size() + " array(s) no parameter takes: " + unused
                        + " (check the name mapping)");
            }
            block.initialize(manager, DataType.FLOAT32);
        }
    }

    /** Writes every parameter of the initialised {@code block} under its dotted name, atomically. */
    public static void export(Block block, Path npz) throws IOException {
        NDList arrays = new NDList();
        for (Map.Entry<String, Parameter> entry : NamedParameters.of(block).entrySet()) {
            NDArray array = entry.getValue().getArray();
            NDArray named = array.duplicate();
            named.setName(entry.getKey());
            arrays.add(named);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            arrays.encode(bytes, NDList.Encoding.NPZ);
        } finally {
            arrays.close();
        }
        AtomicFiles.write(npz, bytes.toByteArray());
    }

    /** The named arrays of an .npz archive, created in {@code manager}. */
    public static Map<String, NDArray> read(Path npz, NDManager manager) throws IOException {
        if (!Files.isRegularFile(npz)) {
            throw new IOException(npz + ": no such .npz file");
        }
        NDList list;
        try (InputStream in = Files.newInputStream(npz)) {
            list = MlEngine.inEngineContext(() -> NDList.decode(manager, in));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException(npz + " is not a NumPy .npz archive: " + e.getMessage(), e);
        }
        Map<String, NDArray> named = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (NDArray array : list) {
            String name = array.getName();
            if (name == null || !seen.add(name)) {
                throw new IOException(npz + " holds an unnamed or repeated array; save it with numpy.savez(path, "
                        + "name=array, ...)");
            }
            named.put(name, array);
        }
        return named;
    }

    /** The archive's names, sorted: what a name mapping has to hit. */
    public static List<String> names(Path npz, NDManager manager) throws IOException {
        try (NDManager scratch = manager.newSubManager()) {
            return List.copyOf(new TreeSet<>(read(npz, scratch).keySet()));
        }
    }

    /** Hands a parameter the imported values when the block initialises it. */
    private record Imported(float[] values) implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            return manager.create(values, shape).toType(dataType, false);
        }
    }
}
