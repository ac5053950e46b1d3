package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.WireFormat;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bytes that are not a valid request, sent over a real socket by a client that marshals raw bytes
 * on the Decide method's name: each is INVALID_ARGUMENT with a short message, and the server's log
 * gets no stack trace per request.
 */
class MalformedRequestEndToEndTest {
    private static RunningPdp pdp;

    @BeforeAll
    static void start() throws Exception {
        pdp = RunningPdp.start(PdpConfig.defaults());
    }

    @AfterAll
    static void stop() {
        pdp.close();
    }

    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final MethodDescriptor<byte[], byte[]> RAW_DECIDE = DecisionServiceGrpc.getDecideMethod()
            .toBuilder(RAW, RAW).build();

    private static StatusRuntimeException sent(byte[] body) {
        return assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(pdp.channel, RAW_DECIDE,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), body));
    }

    private static void assertRefusedShortly(StatusRuntimeException e) {
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), String.valueOf(e.getStatus()));
        assertTrue(e.getStatus().getDescription().length() < 300, e.getStatus().getDescription());
        assertTrue(pdp.decisions().decide(DecideRequest.getDefaultInstance()).getDecisionId().length() > 0);
    }

    @Test
    void invalidUtf8InAStringIsInvalidArgument() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeTag(DecideRequest.REQUEST_ID_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(2);
        out.writeRawBytes(new byte[] {(byte) 0xC3, (byte) 0x28});
        out.flush();

        assertRefusedShortly(sent(bytes.toByteArray()));
    }

    @Test
    void nestingBeyondProtobufsRecursionLimitIsInvalidArgument() {
        Value nested = Value.newBuilder().setStringValue("deep").build();
        for (int i = 0; i < 200; i++) {
            nested = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(nested)).build();
        }
        DecideRequest deep = DecideRequest.newBuilder()
                .setInput(Struct.newBuilder().putFields("x", nested)).build();

        assertRefusedShortly(sent(deep.toByteArray()));
    }

    @Test
    void garbageBytesAreInvalidArgument() {
        assertRefusedShortly(sent(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0x01, 0x02}));
    }

    @Test
    void hundredsOfMalformedRequestsLogAtMostAFewLines() {
        AtomicInteger lines = new AtomicInteger();
        AtomicInteger traced = new AtomicInteger();
        Handler counter = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.incrementAndGet();
                if (record.getThrown() != null) {
                    traced.incrementAndGet();
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        root.addHandler(counter);
        System.setErr(new PrintStream(captured, true));
        try {
            for (int i = 0; i < 300; i++) {
                assertEquals(Status.Code.INVALID_ARGUMENT, sent(new byte[] {(byte) 0xFF, 0x00}).getStatus().getCode());
            }
        } finally {
            System.setErr(stderr);
            root.removeHandler(counter);
        }
        assertTrue(lines.get() <= 2, lines.get() + " log lines for 300 malformed requests");
        assertEquals(0, traced.get(), "no stack trace is logged for a malformed request");
        assertTrue(captured.size() < 2_000, captured.size() + " bytes to stderr for 300 malformed requests");
    }
}
