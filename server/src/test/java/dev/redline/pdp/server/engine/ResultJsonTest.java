package dev.redline.pdp.server.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Results come back as compact JSON with sets sorted as OPA sorts them. */
class ResultJsonTest {
    private static String json(String valueDump) {
        return new String(ResultJson.fromValueDump(valueDump.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void aResultWithoutSetsLosesOnlyTheDumpsSpaces() {
        assertEquals("[{\"result\":{\"a b\":[1,\"x, y: z\"]}}]", json("[{\"result\": {\"a b\": [1, \"x, y: z\"]}}]"));
    }

    @Test
    void aSetBecomesAnArrayInOpasOrder() {
        assertEquals("[{\"result\":[\"a\",\"b\",\"c\"]}]", json("[{\"result\": {\"c\", \"a\", \"b\"}}]"));
    }

    @Test
    void setsNestedInObjectsAndSetsAreSortedToo() {
        assertEquals("{\"r\":[[null,false],[1,2]]}", json("{\"r\": {{2, 1}, {null, false}}}"));
    }

    @Test
    void valuesOfDifferentTypesSortNullBooleanNumberStringArrayObjectSet() {
        assertEquals("[null,false,2,\"s\",[],{},[]]", json("{set(), {}, [], \"s\", 2, false, null}"));
    }

    @Test
    void numbersSortByValue() {
        assertEquals("[-1,2,10,1E+3]", json("{10, 2, 1e3, -1}"));
    }

    @Test
    void anObjectKeyThatIsNotAStringBecomesItsJsonText() {
        assertEquals("{\"[1,2]\":true,\"3\":{}}", json("{{2, 1}: true, 3: {}}"));
    }

    @Test
    void anEmptyObjectStaysAnObject() {
        assertEquals("[{\"result\":{}}]", json("[{\"result\": {}}]"));
    }
}
