package org.medsynth.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No shipped MedSynth class calls DJL's {@code Number} overloads of the array operations whose scalar autograd keeps
 * for the backward pass ({@code mul(Number)}, {@code div(Number)}, ...): DJL backs that scalar with a Java buffer it
 * lets the garbage collector free, so gradients went wrong whenever a collection fell between forward and backward.
 * {@code org.medsynth.ml.Scalars} is the safe form. Checked on the bundles of the update site, class by class, from
 * the method references in their constant pools.
 */
class ScalarArithmeticTest {
    private static final Set<String> ARRAY_CLASSES = Set.of("ai/djl/ndarray/NDArray", "ai/djl/pytorch/engine/PtNDArray");
    private static final Set<String> UNSAFE = Set.of("mul", "muli", "div", "divi", "pow", "powi", "maximum",
            "minimum", "mod", "modi");
    private static final String NUMBER = "Ljava/lang/Number;";

    /** A method a class refers to: owner class, name and descriptor, as in the constant pool. */
    private record MethodReference(String owner, String name, String descriptor) {
    }

    @Test
    void noShippedClassUsesDjlsNumberOverloadsThatAutogradKeeps() throws IOException {
        Path plugins = Path.of(System.getProperty("medsynth.repository")).resolve("plugins");
        List<Path> bundles;
        try (Stream<Path> files = Files.list(plugins)) {
            bundles = files.filter(p -> p.getFileName().toString().matches("org\\.medsynth\\.[a-z.]+_.*\\.jar"))
                    .sorted().toList();
        }
        assertTrue(bundles.size() >= 10, "MedSynth bundles on the update site: " + bundles);
        List<String> offenders = new ArrayList<>();
        int arrayCalls = 0;
        for (Path bundle : bundles) {
            try (JarFile jar = new JarFile(bundle.toFile())) {
                for (JarEntry entry : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        for (MethodReference reference : methodReferences(in.readAllBytes())) {
                            if (!ARRAY_CLASSES.contains(reference.owner())) {
                                continue;
                            }
                            arrayCalls++;
                            if (UNSAFE.contains(reference.name()) && reference.descriptor().contains(NUMBER)) {
                                offenders.add(entry.getName() + ": " + reference.name() + reference.descriptor());
                            }
                        }
                    }
                }
            }
        }
        assertTrue(arrayCalls > 100, "the scan found the bundles' array calls: " + arrayCalls);
        assertEquals(List.of(), offenders, "use org.medsynth.ml.Scalars instead");
    }

    /** Every method and interface-method reference in a class file's constant pool (JVMS §4.4). */
    private static List<MethodReference> methodReferences(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] first = new int[count];
        int[] second = new int[count];
        int[] tags = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // eight-byte constants take two entries
                }
                case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                case 15 -> {
                    in.readUnsignedByte();
                    first[i] = in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        List<MethodReference> references = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (tags[i] == 10 || tags[i] == 11) {
                int nameAndType = second[i];
                references.add(new MethodReference(utf8[first[first[i]]], utf8[first[nameAndType]],
                        utf8[second[nameAndType]]));
            }
        }
        return references;
    }
}
