package dev.rlx.engine.tensor;

import ai.djl.ndarray.types.DataType;

import java.util.Locale;

/**
 * The element types a tensor can have. Ordered by promotion rank: a binary op on two dtypes computes in
 * the later one, the way PyTorch promotes (bool < int64 < float32 < float64).
 */
public enum DType {
    BOOL("bool", DataType.BOOLEAN),
    INT64("int64", DataType.INT64),
    FLOAT32("float32", DataType.FLOAT32),
    FLOAT64("float64", DataType.FLOAT64);

    private final String displayName;
    private final DataType djl;

    DType(String displayName, DataType djl) {
        this.displayName = displayName;
        this.djl = djl;
    }

    /** The name .rlx uses: "float32", "float64", "int64", "bool". */
    public String displayName() {
        return displayName;
    }

    DataType djl() {
        return djl;
    }

    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** Accepts the .rlx spellings, plus "float"/"double"/"long"/"int"/"boolean" as aliases. */
    public static DType parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "float32", "float", "f32" -> FLOAT32;
            case "float64", "double", "f64" -> FLOAT64;
            case "int64", "long", "int", "i64" -> INT64;
            case "bool", "boolean" -> BOOL;
            default -> throw new TensorException("unknown dtype '" + name + "' (expected float32, float64, int64 or bool)");
        };
    }

    static DType of(DataType type) {
        if (type == DataType.FLOAT32) return FLOAT32;
        if (type == DataType.FLOAT64) return FLOAT64;
        if (type == DataType.INT64) return INT64;
        if (type == DataType.BOOLEAN) return BOOL;
        throw new TensorException("unsupported element type " + type + " (rlx tensors are float32, float64, int64 or bool)");
    }

    static DType max(DType a, DType b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
