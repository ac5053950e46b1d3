package dev.redline.pdp.server.engine.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The graphql.* rules where gqlparser (OPA's library) and graphql-java part ways, and the AST
 * details OPA's shape fixes. OPA's compliance cases (OpaComplianceTest) cover the rest.
 */
class GraphqlBuiltinsTest {

    private static JsonNode call(String builtin, Object... operands) {
        JsonNode[] ops = new JsonNode[operands.length];
        for (int i = 0; i < operands.length; i++) {
            ops[i] = operands[i] instanceof JsonNode n ? n : Operands.text((String) operands[i]);
        }
        return HostBuiltins.body(builtin).apply(ops);
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void aFieldWithoutAliasIsAliasedByItsNameAndShorthandIsAnUnnamedQuery() throws Exception {
        assertEquals(json("""
                {"Operations": [{"Name": "", "Operation": "query",
                  "SelectionSet": [{"Alias": "hero", "Name": "hero", "SelectionSet": [{"Alias": "n", "Name": "name"}]}]}]}"""),
                call("graphql.parse_query", "{hero {n: name}}"));
    }

    @Test
    void valuesCarryGqlparsersKindNumbersAndTheirTextAsWritten() throws Exception {
        JsonNode args = call("graphql.parse_query", "{ f(a: $v, b: 1.5e3, c: \"\"\"block\"\"\", d: RED, e: null, g: []) }")
                .at("/Operations/0/SelectionSet/0/Arguments");
        assertEquals("0 v|2 1.5e3|4 block|7 RED|6 null|8 ", String.join("|",
                java.util.stream.StreamSupport.stream(args.spliterator(), false)
                        .map(a -> a.at("/Value/Kind").asInt() + " " + a.at("/Value/Raw").asText()).toList()));
    }

    @Test
    void fragmentsMayDefineVariablesAsGqlparserAllows() throws Exception {
        assertEquals(json("""
                [{"DefaultValue": {"ExpectedTypeHasDefault": false, "Kind": 5, "Raw": "false"},
                  "Type": {"NamedType": "Boolean", "NonNull": false}, "Used": false, "Variable": "v"}]"""),
                call("graphql.parse_query", "fragment a($v: Boolean = false) on t { f(v: $v) }")
                        .at("/Fragments/0/VariableDefinition"));
    }

    @Test
    void schemaDefinitionsKeepEmptyDescriptionsAndFalseBuiltIn() throws Exception {
        assertEquals(json("""
                {"Definitions": [{"BuiltIn": false, "Description": "", "Kind": "OBJECT", "Name": "Hello",
                  "Fields": [{"Description": "", "Name": "world", "Type": {"NamedType": "String", "NonNull": false}}]}],
                 "Extensions": [{"BuiltIn": false, "Description": "", "Kind": "ENUM", "Name": "E",
                  "EnumValues": [{"Description": "", "Name": "A"}]}]}"""),
                call("graphql.parse_schema", "type Hello { world: String } extend enum E { A }"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = ';', value = {
        "graphql.parse_schema;type Hello {};expected at least one definition, found } in GraphQL string at location 1:13",
        "graphql.parse_schema;directive @foo on FIELD | INCORRECT_LOCATION;"
                + "Unexpected Name \"INCORRECT_LOCATION\" in GraphQL string at location 1:27",
        "graphql.parse_query;notanoperation Foo { field };Unexpected Name \"notanoperation\" in GraphQL string at location 1:1",
        "graphql.parse_query;type Query { a: Int };Unexpected Name \"type\" in GraphQL string at location 1:1",
        "graphql.parse_query;'{...{__typename{...{}}}}';expected at least one definition, found } in GraphQL string at location 1:21",
        "graphql.parse_query;{;Expected Name, found <EOF> in GraphQL string at location 1:2",
        "graphql.parse_query;'{ ...M } fragment M Type';Expected \"on\", found Name \"Type\" in GraphQL string at location 1:21",
        "graphql.parse_query;'{ field: {} }';Expected Name, found { in GraphQL string at location 1:10",
        "graphql.parse_query;...;Unexpected ... in GraphQL string at location 1:1",
        "graphql.parse_query;'query Foo($x: C = { a: [ $var ] }) { f }';Unexpected $ in GraphQL string at location 1:26",
        "graphql.parse_query;fragment on on on { on };Unexpected Name \"on\" in GraphQL string at location 1:10",
        "graphql.parse_query;'{ ...on }';Expected Name, found } in GraphQL string at location 1:9",
        "graphql.parse_schema;extend type Hello;Unexpected <EOF> in GraphQL string at location 1:18",
        "graphql.parse_schema;'extend \"D\" type Hello { world: String }';Unexpected String \"D\" in GraphQL string at location 1:9",
        "graphql.parse_schema;extend schema;Unexpected <EOF> in GraphQL string at location 1:14",
        "graphql.parse_schema;union Hello = || Wo | Rld;Expected Name, found | in GraphQL string at location 1:16",
        "graphql.parse_schema;union Hello = | Wo | Rld |;Expected Name, found <EOF> in GraphQL string at location 1:27",
    })
    void syntaxErrorsReadAsOpaWordsThem(String builtin, String text, String message) {
        BuiltinError e = assertThrows(BuiltinError.class, () -> call(builtin, text));
        assertEquals(builtin + ": " + message, e.getMessage());
    }

    @Test
    void anEmptyObjectValueIsNoEmptyList() {
        assertEquals(Operands.bool(true), call("graphql.is_valid", "{ f(o: {}) }", "input I { x: Int } type Query { f(o: I): Int }"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "true|type Mutation { a: Int }",
        "true|extend type Query { a: Int }",
        "true|directive @skip(if: Boolean!) on FIELD type Query { a: Int }",
        "false|scalar String",
        "false|type Query { a: Int } type Query { b: Int }",
        "false|type Query { a: Int } extend union Query = Query",
        "false|union U = String type Query { u: U }",
        "false|input A { b: B! } input B { a: A! } type Query { a(x: A): Int }",
        "false|type Query { __a: Int }",
        "false|type Query { a: Int @undefined }",
        "false|enum E { true }",
        "false|interface I { a: Int } type Query implements I { b: Int }",
        "false|extend type Hello",
    })
    void schemasAreJudgedByGqlparsersRules(boolean valid, String schema) {
        assertEquals(Operands.bool(valid), call("graphql.schema_is_valid", schema));
    }

    @Test
    void aQueryOperationNeedsAQueryTypeButAMutationDoesNot() {
        String schema = "type Mutation { a: Int }";
        assertEquals(Operands.bool(false), call("graphql.is_valid", "{ a }", schema));
        assertEquals(Operands.bool(true), call("graphql.is_valid", "mutation { a }", schema));
        assertEquals(Operands.bool(true), call("graphql.is_valid", "", schema));
    }

    @Test
    void anInlineFragmentGivenAsAstDecodesAsAFieldAsInGqlparser() throws Exception {
        JsonNode query = json("""
                {"Operations": [{"Name": "", "Operation": "query",
                  "SelectionSet": [{"TypeCondition": "Query", "SelectionSet": [{"Alias": "a", "Name": "a"}]}]}]}""");
        assertEquals(Operands.bool(false), call("graphql.is_valid", query, "type Query { a: Int }"));
        assertEquals(Operands.bool(true), call("graphql.is_valid", "{ ... on Query { a } }", "type Query { a: Int }"));
    }

    @Test
    void parseAndVerifyAnswersFalseWithEmptyAstsInsteadOfAnError() throws Exception {
        assertEquals(json("[false, {}, {}]"), call("graphql.parse_and_verify", "{ b }", "type Query { a: Int }"));
    }

    @Test
    void parseReportsTheFailedRule() {
        BuiltinError e = assertThrows(BuiltinError.class, () -> call("graphql.parse", "{ b }", "type Query { a: Int }"));
        assertEquals("graphql.parse: ", e.getMessage().substring(0, "graphql.parse: ".length()));
    }

    @Test
    void parseRefusesAnOperandThatIsNeitherTextNorAst() {
        BuiltinError e = assertThrows(BuiltinError.class, () -> call("graphql.parse", Operands.bool(true), "type Query { a: Int }"));
        assertEquals("graphql.parse: operand 0 must be one of {string, object} but got boolean", e.getMessage());
    }
}
