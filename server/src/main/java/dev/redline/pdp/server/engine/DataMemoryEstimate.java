package dev.redline.pdp.server.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * How much Wasm heap a bundle's data takes once OPA's {@code opa_json_parse} has built it in a
 * policy instance, estimated before any instance is built, so that data that cannot fit the
 * memory cap is refused without growing an instance towards it.
 *
 * <p>The heap a document takes depends on its shape more than its size: each value (a number, a
 * string, a key, an object, an array) costs up to about 210 bytes of heap, and string content about
 * twice its JSON bytes. Measured per shape, the heap was 2 times the JSON for one long string, 13 to
 * 18 times for records or maps of short strings, and 98 times for an array of one-digit numbers
 * (docs/bundles.md, "Data and the memory cap"). The estimate takes the upper end of each.
 *
 * @param jsonBytes the size of the data as JSON
 * @param values the number of values and keys in it
 */
record DataMemoryEstimate(long jsonBytes, long values) {
    static final long HEAP_BYTES_PER_VALUE = 256;
    static final long HEAP_BYTES_PER_JSON_BYTE = 2;

    /** Counts the values of {@code dataJson}, which the bundle reader has already checked is valid JSON. */
    static DataMemoryEstimate of(byte[] dataJson, JsonFactory json) throws PolicyLoadException {
        long values = 0;
        try (JsonParser parser = json.createParser(dataJson)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token != JsonToken.END_OBJECT && token != JsonToken.END_ARRAY) {
                    values++;
                }
            }
        } catch (IOException e) {
            throw new PolicyLoadException("bundle data is not valid JSON: " + e.getMessage(), e);
        }
        return new DataMemoryEstimate(dataJson.length, values);
    }

    long heapBytes() {
        return values * HEAP_BYTES_PER_VALUE + jsonBytes * HEAP_BYTES_PER_JSON_BYTE;
    }

    /** Refuses data whose estimated heap is over {@code capBytes}, naming its size, the estimate and the cap. */
    void requireWithin(long capBytes) throws PolicyLoadException {
        if (heapBytes() > capBytes) {
            throw new PolicyLoadException("bundle data is " + jsonBytes + " bytes of JSON holding " + values
                    + " values; a policy instance needs an estimated " + heapBytes() + " bytes of memory for it ("
                    + HEAP_BYTES_PER_VALUE + " per value plus " + HEAP_BYTES_PER_JSON_BYTE + " per byte), over "
                    + capWords(capBytes));
        }
    }

    static String capWords(long capBytes) {
        return "the policy memory cap of " + capBytes + " bytes per instance (--max-memory-bytes)";
    }
}
