package dev.redline.pdp.server.engine.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** providers.aws.sign_req: SigV4 as AWS specifies it, and OPA's refusals word for word. */
class AwsSigningBuiltinsTest {
    private static final String CONFIG = "{\"aws_access_key\": \"AKIDEXAMPLE\", \"aws_secret_access_key\":"
            + " \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\", \"aws_region\": \"us-east-1\", \"aws_service\": \"iam\"}";
    /** 2015-08-30T12:36:00Z, the time of AWS's own SigV4 example. */
    private static final String EXAMPLE_TIME = "1440938160000000000";

    private static JsonNode value(String text) {
        return ValueText.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode sign(String request, String config, String time) {
        return HostBuiltins.body("providers.aws.sign_req").apply(new JsonNode[] {value(request), value(config), value(time)});
    }

    @Test
    void signsAwsDocumentedListUsersExample() {
        JsonNode signed = sign("{\"method\": \"GET\", \"url\": \"https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08\","
                + " \"headers\": {\"Content-Type\": \"application/x-www-form-urlencoded; charset=utf-8\"}}", CONFIG, EXAMPLE_TIME);
        assertEquals("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request,"
                + "SignedHeaders=content-type;host;x-amz-date,"
                + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
                signed.path("headers").path("Authorization").textValue());
        assertEquals("20150830T123600Z", signed.path("headers").path("x-amz-date").textValue());
    }

    @Test
    void requestsOwnPayloadHashIsSignedButTheComputedOneIsReturned() {
        JsonNode signed = sign("{\"method\": \"get\", \"url\": \"https://example.com\","
                + " \"headers\": {\"x-amz-content-sha256\": \"existing-value\"}}",
                CONFIG.replace("\"iam\"", "\"s3\""), EXAMPLE_TIME);
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                signed.path("headers").path("x-amz-content-sha256").textValue());
    }

    @Test
    void setInTheBodyStaysASet() {
        JsonNode signed = sign("{\"method\": \"get\", \"url\": \"https://example.com\", \"body\": {\"s\": {2, 1}}}",
                CONFIG, EXAMPLE_TIME);
        assertInstanceOf(SetNode.class, signed.path("body").path("s"));
    }

    @ParameterizedTest(name = "{3}")
    @CsvSource(delimiter = '|', value = {
        "{}|" + CONFIG + "|0|operand 1 missing required request parameters(s): {\"method\", \"url\"}",
        "{\"method\": set(), \"url\": 1}|" + CONFIG + "|0|operand 1 invalid values for required request parameters(s): {\"method\", \"url\"}",
        "{\"method\": \"get\", \"url\": \"http://a\", \"x\": 1}|" + CONFIG + "|0|operand 1 invalid request parameters(s): {\"x\"}",
        "{\"method\": \"get\", \"url\": \"http://a\"}|{\"aws_region\": \"r\"}|0|operand 2 missing required AWS config parameters(s): "
                + "{\"aws_access_key\", \"aws_secret_access_key\", \"aws_service\"}",
        "{\"method\": \"get\", \"url\": \"http://a\"}|{\"aws_access_key\": 1, \"aws_secret_access_key\": \"s\", \"aws_region\": 2,"
                + " \"aws_service\": \"s3\"}|0|operand 2 invalid values for required AWS config parameters(s): {\"aws_access_key\", \"aws_region\"}",
        "{\"method\": \"get\", \"url\": \"http://a\"}|" + CONFIG + "|-1e9|operand 3 could not convert time_ns value into a unix timestamp",
        "{\"method\": \"get\", \"url\": \"http://a\"}|{\"aws_access_key\": \"a\", \"aws_secret_access_key\": \"s\", \"aws_region\": \"r\","
                + " \"aws_service\": \"s3\", \"disable_payload_signing\": \"yes\"}|0|operand 2 invalid value for 'disable_payload_signing' in AWS config",
    })
    void refusesAsOpaDoes(String request, String config, String time, String message) {
        BuiltinError e = assertThrows(BuiltinError.class, () -> sign(request, config, time));
        assertEquals("providers.aws.sign_req: " + message, e.getMessage());
    }
}
