package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Server reflection on the decision port, asked over a real loopback socket the way grpcurl
 * asks: a client with no proto files can list the services and resolve the decision API.
 */
class ServerReflectionEndToEndTest {
    private static RunningPdp pdp;

    @BeforeAll
    static void start() throws Exception {
        pdp = RunningPdp.startContract();
    }

    @AfterAll
    static void stop() {
        pdp.close();
    }

    @Test
    void listsTheDecisionServiceHealthAndReflectionOnTheDecisionPort() throws Exception {
        ServerReflectionResponse response = ask(ServerReflectionRequest.newBuilder().setListServices("").build());

        List<String> services = response.getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).sorted().toList();
        assertEquals(List.of("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
                "grpc.reflection.v1alpha.ServerReflection", "pdp.v1.DecisionService"), services);
    }

    @Test
    void theDecisionServiceDescriptorResolvesWithItsMethodsAndMessageTypes() throws Exception {
        ServerReflectionResponse response = ask(ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("pdp.v1.DecisionService").build());

        Map<String, FileDescriptorProto> files = new HashMap<>();
        for (ByteString file : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
            FileDescriptorProto proto = FileDescriptorProto.parseFrom(file);
            files.put(proto.getName(), proto);
        }
        ServiceDescriptor service = resolve("pdp/v1/decision.proto", files, new HashMap<>())
                .findServiceByName("DecisionService");

        assertEquals("pdp.v1.DecisionService", service.getFullName());
        assertEquals(List.of("Decide", "DecideBatch"), service.getMethods().stream().map(MethodDescriptor::getName).toList());
        MethodDescriptor decide = service.findMethodByName("Decide");
        assertEquals("pdp.v1.DecideRequest", decide.getInputType().getFullName());
        assertEquals("pdp.v1.DecideResponse", decide.getOutputType().getFullName());
        Descriptor request = decide.getInputType();
        assertEquals("google.protobuf.Struct", request.findFieldByName("input").getMessageType().getFullName());
    }

    /** Builds a file from the reflection answer, with its imports, as a client without protos must. */
    private static FileDescriptor resolve(String name, Map<String, FileDescriptorProto> files,
            Map<String, FileDescriptor> built) throws Exception {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = files.get(name);
        if (proto == null) {
            throw new AssertionError("the reflection answer lacks " + name + "; it has " + files.keySet());
        }
        List<FileDescriptor> dependencies = new ArrayList<>();
        for (String dependency : proto.getDependencyList()) {
            dependencies.add(resolve(dependency, files, built));
        }
        FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies.toArray(FileDescriptor[]::new));
        built.put(name, file);
        return file;
    }

    private static ServerReflectionResponse ask(ServerReflectionRequest request) throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(pdp.channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override public void onNext(ServerReflectionResponse response) { answer.complete(response); }
                    @Override public void onError(Throwable t) { answer.completeExceptionally(t); }
                    @Override public void onCompleted() {
                        answer.completeExceptionally(new AssertionError("the stream ended without an answer"));
                    }
                });
        requests.onNext(request);
        requests.onCompleted();
        ServerReflectionResponse response = answer.get(20, TimeUnit.SECONDS);
        if (response.hasErrorResponse()) {
            throw new AssertionError("reflection error: " + response.getErrorResponse());
        }
        return response;
    }
}
