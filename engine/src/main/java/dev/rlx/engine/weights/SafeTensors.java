package dev.rlx.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.rlx.engine.tensor.HostArrays;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format, read and written by hand so files match what Hugging Face writes: an 8-byte
 * little-endian header length, a JSON header (with {@code __metadata__ {"format":"pt"}}) padded with spaces
 * to a multiple of 8 bytes, then the raw little-endian tensor data in header order.
 */
public final class SafeTensors {
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private SafeTensors() {}

    /** One tensor's header entry; offsets are relative to the start of the data section. */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {}

    /** A parsed header: tensors in file order, metadata and where the data section starts. */
    public record Header(Path file, List<Entry> entries, Map<String, String> metadata, long dataStart) {}

    public static Header readHeader(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new WeightsException(file + ": not a safetensors file (only " + size + " bytes)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.flip().getLong();
            if (n <= 0 || n > MAX_HEADER || 8 + n > size) {
                throw new WeightsException(file + ": corrupt safetensors header (length " + n + ", file size " + size + ")");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8);
            String json = new String(hb.array(), StandardCharsets.UTF_8);
            JsonObject obj;
            try {
                obj = JsonParser.parseString(json).getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                throw new WeightsException(file + ": corrupt safetensors header (invalid JSON)", e);
            }
            List<Entry> entries = new ArrayList<>();
            Map<String, String> meta = new LinkedHashMap<>();
            long dataSize = size - 8 - n;
            for (Map.Entry<String, JsonElement> e : obj.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
                        meta.put(m.getKey(), m.getValue().getAsString());
                    }
                    continue;
                }
                entries.add(parseEntry(file, e.getKey(), e.getValue(), dataSize));
            }
            entries.sort((a, b) -> Long.compare(a.begin(), b.begin()));
            return new Header(file, entries, meta, 8 + n);
        } catch (IOException e) {
            throw new WeightsException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static Entry parseEntry(Path file, String name, JsonElement el, long dataSize) {
        try {
            JsonObject o = el.getAsJsonObject();
            String dtype = o.get("dtype").getAsString();
            var shapeArr = o.getAsJsonArray("shape");
            long[] shape = new long[shapeArr.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeArr.get(i).getAsLong();
                count *= shape[i];
            }
            var off = o.getAsJsonArray("data_offsets");
            long begin = off.get(0).getAsLong();
            long end = off.get(1).getAsLong();
            long expected = count * bytesPer(file, name, dtype);
            if (begin < 0 || end < begin || end > dataSize) {
                throw new WeightsException(file + ": tensor '" + name + "' has data offsets [" + begin + ", " + end
                        + "] outside the data section (" + dataSize + " bytes): file truncated or corrupt");
            }
            if (end - begin != expected) {
                throw new WeightsException(file + ": tensor '" + name + "' has " + (end - begin)
                        + " bytes but dtype " + dtype + " and shape " + java.util.Arrays.toString(shape) + " need " + expected);
            }
            return new Entry(name, dtype, shape, begin, end);
        } catch (NullPointerException | IllegalStateException | UnsupportedOperationException e) {
            throw new WeightsException(file + ": tensor '" + name + "' has a malformed header entry", e);
        }
    }

    static int bytesPer(Path file, String tensor, String dtype) {
        return switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16", "I16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> throw new WeightsException(file + ": tensor '" + tensor + "' has unsupported dtype " + dtype);
        };
    }

    static DataType djlType(String dtype) {
        return switch (dtype) {
            case "F64" -> DataType.FLOAT64;
            case "F32" -> DataType.FLOAT32;
            case "F16" -> DataType.FLOAT16;
            case "BF16" -> DataType.BFLOAT16;
            case "I64" -> DataType.INT64;
            case "I32" -> DataType.INT32;
            case "I8" -> DataType.INT8;
            case "U8" -> DataType.UINT8;
            case "BOOL" -> DataType.BOOLEAN;
            default -> throw new IllegalArgumentException(dtype);
        };
    }

    static String stName(DataType t) {
        return switch (t) {
            case FLOAT64 -> "F64";
            case FLOAT32 -> "F32";
            case FLOAT16 -> "F16";
            case BFLOAT16 -> "BF16";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case INT8 -> "I8";
            case UINT8 -> "U8";
            case BOOLEAN -> "BOOL";
            default -> throw new IllegalArgumentException("cannot write dtype " + t + " to safetensors");
        };
    }

    /**
     * Reads every tensor of a file into {@code manager}, in file order. One direct buffer, sized to the largest
     * tensor, is reused for all of them (each tensor is copied into libtorch-owned memory before the next is
     * read): reading a 0.5B-parameter checkpoint costs the tensors plus one embedding's worth, not twice the file.
     */
    public static LinkedHashMap<String, NDArray> read(Path file, NDManager manager) {
        Header h = readHeader(file);
        LinkedHashMap<String, NDArray> out = new LinkedHashMap<>();
        long largest = 0;
        for (Entry e : h.entries()) {
            long len = e.end() - e.begin();
            if (len > Integer.MAX_VALUE) {
                throw new WeightsException(file + ": tensor '" + e.name() + "' is " + len + " bytes; rlx reads "
                        + "tensors of up to 2 GiB each");
            }
            largest = Math.max(largest, len);
        }
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.max(1, largest)).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (Entry e : h.entries()) {
                buf.clear().limit((int) (e.end() - e.begin()));
                readFully(ch, buf, h.dataStart() + e.begin());
                buf.flip();
                out.put(e.name(), HostArrays.owned(manager.create(buf, new Shape(e.shape()), djlType(e.dtype()))));
            }
        } catch (IOException ex) {
            throw new WeightsException(file + ": cannot read tensor data (" + ex.getMessage() + ")", ex);
        }
        return out;
    }

    /**
     * Writes tensors sorted by name, with {@code __metadata__} (format "pt" is always included), atomically:
     * a half-written file never replaces a good one.
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        TreeMap<String, NDArray> sorted = new TreeMap<>(tensors);
        LinkedHashMap<String, Object> header = new LinkedHashMap<>();
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        if (metadata != null) {
            meta.putAll(metadata);
        }
        header.put("__metadata__", meta);
        long offset = 0;
        for (Map.Entry<String, NDArray> e : sorted.entrySet()) {
            NDArray a = e.getValue();
            long len = a.size() * a.getDataType().getNumOfBytes();
            LinkedHashMap<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", stName(a.getDataType()));
            entry.put("shape", a.getShape().getShape());
            entry.put("data_offsets", new long[] {offset, offset + len});
            header.put(e.getKey(), entry);
            offset += len;
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = new byte[padded];
        System.arraycopy(json, 0, headerBytes, 0, json.length);
        java.util.Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream os = Files.newOutputStream(tmp)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
                os.write(len.array());
                os.write(headerBytes);
                byte[] chunk = new byte[1 << 16];
                // one tensor's bytes at a time (the header already has every offset): saving a large model
                // holds one tensor's copy, not the whole model's
                for (NDArray a : sorted.values()) {
                    ByteBuffer b = a.toByteBuffer(false).order(ByteOrder.LITTLE_ENDIAN);
                    while (b.hasRemaining()) {
                        int n = Math.min(chunk.length, b.remaining());
                        b.get(chunk, 0, n);
                        os.write(chunk, 0, n);
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new WeightsException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }
}
