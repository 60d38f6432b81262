package org.medsynth.io.imagej.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.medsynth.core.api.ImageFormatException;

/**
 * Checks the directory structure of a classic TIFF before ImageJ parses it. ImageJ's decoder allocates what a
 * directory entry declares and follows directory offsets as they come, so a corrupt count made it run out of memory
 * and a directory chain that loops made it read forever. Here every directory and every entry's values must lie
 * inside the file, the chain must not revisit a directory, and ImageJ's metadata byte counts must fit the metadata
 * they describe.
 */
final class TiffStructure {
    private static final int IMAGEJ_METADATA_BYTE_COUNTS = 50838;
    private static final int IMAGEJ_METADATA = 50839;
    private static final int ENTRY_BYTES = 12;

    private TiffStructure() {
    }

    static void check(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            long length = channel.size();
            ByteBuffer header = read(file, channel, 0, 8, length, "the TIFF header");
            ByteOrder order = switch (header.getShort(0)) {
                case 0x4949 -> ByteOrder.LITTLE_ENDIAN;
                case 0x4d4d -> ByteOrder.BIG_ENDIAN;
                default -> throw new ImageFormatException(file, "not a TIFF: it does not start with II or MM");
            };
            header.order(order);
            int version = header.getShort(2) & 0xffff;
            if (version != 42) {
                throw new ImageFormatException(file, version == 43 ? "is a BigTIFF, which ImageJ cannot read"
                        : "not a classic TIFF: version " + version + " where 42 belongs");
            }
            Set<Long> visited = new HashSet<>();
            long directory = header.getInt(4) & 0xffffffffL;
            while (directory != 0) {
                if (!visited.add(directory)) {
                    throw new ImageFormatException(file, "TIFF directory chain loops back to offset " + directory);
                }
                directory = checkDirectory(file, channel, directory, length, order, visited.size());
            }
        }
    }

    /** Checks the directory at {@code offset}; returns the offset of the next one (0 at the end). */
    private static long checkDirectory(Path file, FileChannel channel, long offset, long length, ByteOrder order,
            int number) throws IOException {
        String where = "TIFF directory " + number;
        int entries = read(file, channel, offset, 2, length, where).order(order).getShort(0) & 0xffff;
        ByteBuffer table = read(file, channel, offset + 2, (long) entries * ENTRY_BYTES + 4, length, where).order(order);
        long metadataBytes = -1;
        long[] metadataCounts = null;
        for (int e = 0; e < entries; e++) {
            int at = e * ENTRY_BYTES;
            int tag = table.getShort(at) & 0xffff;
            long count = table.getInt(at + 4) & 0xffffffffL;
            long bytes = count * typeSize(table.getShort(at + 2) & 0xffff);
            long valueOffset = bytes <= 4 ? offset + 2 + at + 8 : table.getInt(at + 8) & 0xffffffffL;
            if (bytes > 4 && valueOffset + bytes > length) {
                throw new ImageFormatException(file, where + ": tag " + tag + " declares " + count + " values ("
                        + bytes + " bytes at offset " + valueOffset + ") but the file has " + length + " bytes");
            }
            if (tag == IMAGEJ_METADATA) {
                metadataBytes = bytes;
            } else if (tag == IMAGEJ_METADATA_BYTE_COUNTS) {
                ByteBuffer values = read(file, channel, valueOffset, 4 * count, length, where).order(order);
                metadataCounts = new long[(int) count];
                for (int i = 0; i < count; i++) {
                    metadataCounts[i] = values.getInt(4 * i) & 0xffffffffL;
                }
            }
        }
        if (metadataCounts != null) {
            long sum = 0;
            for (long c : metadataCounts) {
                sum += c;
            }
            if (sum > Math.max(0, metadataBytes)) {
                throw new ImageFormatException(file, where + ": ImageJ metadata counts add up to " + sum
                        + " bytes but the metadata holds " + Math.max(0, metadataBytes));
            }
        }
        return table.getInt(entries * ENTRY_BYTES) & 0xffffffffL;
    }

    /** Bytes per value of a TIFF field type; unknown types count as one byte, as readers skip them. */
    private static int typeSize(int type) {
        return switch (type) {
            case 3, 8 -> 2;
            case 4, 9, 11, 13 -> 4;
            case 5, 10, 12 -> 8;
            default -> 1;
        };
    }

    private static ByteBuffer read(Path file, FileChannel channel, long offset, long bytes, long length, String what)
            throws IOException {
        if (offset + bytes > length || bytes > Integer.MAX_VALUE) {
            throw new ImageFormatException(file, "TIFF is truncated: " + what + " needs bytes " + offset + " to "
                    + (offset + bytes) + " but the file has " + length);
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) bytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new ImageFormatException(file, "TIFF is truncated inside " + what);
            }
        }
        return buffer.flip();
    }
}
