package dev.redline.pdp.sdk;

import com.google.protobuf.Struct;
import java.util.Objects;

/** A {@link DecisionInput} made of a path and a document, as given. */
record RawInput(String path, Struct struct) implements DecisionInput {
    RawInput {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(struct, "input");
    }

    @Override
    public Struct toStruct() {
        return struct;
    }

    @Override
    public String toString() {
        return "DecisionInput[path=" + path + ", input=" + Structs.toJson(struct) + "]";
    }
}
