// RFC 8785 canonical bytes: the vectors of the RFC that fit JSON without
// floating-point numbers, and the cases the ledger's own data exercises.

#include <catch2/catch.hpp>

#include "util/canonical.h"
#include "util/json.h"

namespace fundledger {
namespace {

const JsonLimits kLimits{64, 1 << 20};

std::string canonical_of(std::string_view text) {
  Result<nlohmann::json> parsed = parse_json(text, kLimits);
  REQUIRE(parsed.status().to_string() == "ok");
  return canonical_json(*parsed);
}

TEST_CASE("members are sorted by key and whitespace is dropped", "[canonical]") {
  CHECK(canonical_of(R"( { "b" : 2 , "a" : [ 1 , "x" ] , "c" : { "z" : null , "y" : true } } )") ==
        R"({"a":[1,"x"],"b":2,"c":{"y":true,"z":null}})");
}

// RFC 8785 section 3.2.3: keys sort by their UTF-16 code units, so the
// emoji (a surrogate pair, D83D DE00) sorts before U+FB33, although its
// UTF-8 bytes (F0 ...) are greater than U+FB33's (EF ...).
TEST_CASE("RFC 8785 sorting example", "[canonical]") {
  const char* input =
      "{\n"
      "  \"\\u20ac\": \"Euro Sign\",\n"
      "  \"\\r\": \"Carriage Return\",\n"
      "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
      "  \"1\": \"One\",\n"
      "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
      "  \"\\u0080\": \"Control\",\n"
      "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
      "}";
  const std::string expected =
      "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
      "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
      "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
      "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}";
  CHECK(canonical_of(input) == expected);
  CHECK(check_canonical(expected, kLimits).to_string() == "ok");
}

// RFC 8785 section 3.2.2.2 example, without its numbers: the string
// "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/" and the literals.
TEST_CASE("RFC 8785 string and literal example", "[canonical]") {
  const char* input =
      R"({"literals": [null, true, false], "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/"})";
  const std::string expected =
      "{\"literals\":[null,true,false],\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
  CHECK(canonical_of(input) == expected);
}

TEST_CASE("strings use the short escapes, lower-case \\u00XX for other controls, raw UTF-8 else",
          "[canonical]") {
  std::string out;
  append_canonical_string(out, std::string("q\"b\\s/\b\f\n\r\t\x01\x1f\x7f", 14) + "\xC3\xA9");
  CHECK(out == "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\xC3\xA9\"");
  out.clear();
  append_canonical_string(out, std::string("\0", 1));
  CHECK(out == "\"\\u0000\"");
}

TEST_CASE("integers are written in their shortest form", "[canonical]") {
  CHECK(canonical_of("[0, -1, 9007199254740991, -9007199254740991]") ==
        "[0,-1,9007199254740991,-9007199254740991]");
}

TEST_CASE("utf16_key_less orders by UTF-16 code units", "[canonical]") {
  CHECK(utf16_key_less("a", "b"));
  CHECK(utf16_key_less("a", "ab"));
  CHECK_FALSE(utf16_key_less("ab", "ab"));
  CHECK(utf16_key_less("\xF0\x9F\x98\x80", "\xEF\xAC\xB3"));   // U+1F600 < U+FB33
  CHECK(utf16_key_less("\xED\x9F\xBF", "\xF0\x9F\x98\x80"));   // U+D7FF < U+1F600
  CHECK(utf16_key_less("x\xF0\x9F\x98\x80", "x\xEE\x80\x80"));  // U+1F600 < U+E000
}

TEST_CASE("check_canonical accepts canonical text and names what is not", "[canonical]") {
  CHECK(check_canonical(R"({"a":1,"b":[true,null,"\u001f"]})", kLimits).to_string() == "ok");
  const auto code = [](std::string_view text) { return check_canonical(text, kLimits).code(); };
  CHECK(code(R"({"b":1,"a":2})") == Code::kNotCanonical);           // order
  CHECK(code(R"({"a": 1})") == Code::kNotCanonical);                 // whitespace
  CHECK(code(R"( {"a":1})") == Code::kNotCanonical);
  CHECK(code(R"({"a":1} )") == Code::kNotCanonical);
  CHECK(code(R"(["\/"])") == Code::kNotCanonical);                  // needless escape
  CHECK(code(R"(["\u0041"])") == Code::kNotCanonical);
  CHECK(code(R"(["\u00e9"])") == Code::kNotCanonical);
  CHECK(code(R"(["\u000A"])") == Code::kNotCanonical);               // has a short form
  CHECK(code(R"(["\u001F"])") == Code::kNotCanonical);               // upper-case hex
  CHECK(code("[-0]") == Code::kNotCanonical);
  CHECK(code("[9007199254740992]") == Code::kNotCanonical);
  CHECK(code(R"({"a":1,"a":1})") == Code::kNotCanonical);            // a repeat is out of order
  CHECK(code("[1.5]") == Code::kFloatNotAllowed);
  CHECK(code("{\"a\":\"\xC3\x28\"}") == Code::kInvalidUtf8);
}

TEST_CASE("check_canonical returns the outermost scalars", "[canonical]") {
  std::vector<TopLevelScalar> top;
  REQUIRE(check_canonical(R"({"a":"x","b":{"c":"no"},"d":7})", kLimits, &top).is_ok());
  REQUIRE(top.size() == 2);
  CHECK(top[0].key == "a");
  CHECK(top[0].text == "x");
  CHECK_FALSE(top[0].is_integer);
  CHECK(top[1].key == "d");
  CHECK(top[1].is_integer);
  CHECK(top[1].integer == 7);
  REQUIRE(check_canonical(R"({"e":"y"})", kLimits, &top).is_ok());
  REQUIRE(top.size() == 1);
  CHECK(top[0].key == "e");
}

}  // namespace
}  // namespace fundledger
