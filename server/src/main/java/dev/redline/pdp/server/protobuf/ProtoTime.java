package dev.redline.pdp.server.protobuf;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** {@code google.protobuf.Timestamp} to and from {@link Instant}, at full nanosecond precision. */
public final class ProtoTime {
    private ProtoTime() {}

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
