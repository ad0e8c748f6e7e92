// The strict JSON reader: every refusal with its code, its field path and
// where in the text it stood.

#include <catch2/catch.hpp>

#include "util/json.h"

namespace fundledger {
namespace {

const JsonLimits kLimits{4, 16};

Status parse(std::string_view text) { return parse_json_doc(text, kLimits).status(); }

TEST_CASE("a well-formed document is read into a flat tree", "[json]") {
  Result<JsonDoc> doc = parse_json_doc(R"({"a":"x","b":[1,true,null],"c":{"d":"\u00e9"}})", kLimits);
  REQUIRE(doc.is_ok());
  const JsonDoc& d = *doc;
  REQUIRE(d[JsonDoc::kRoot].kind == JsonDoc::Kind::kObject);
  CHECK(d[JsonDoc::kRoot].size == 3);
  CHECK(d.member(JsonDoc::kRoot, "a")->text == "x");
  const JsonDoc::Node* b = d.member(JsonDoc::kRoot, "b");
  REQUIRE(b != nullptr);
  CHECK(b->size == 3);
  std::vector<JsonDoc::Kind> kinds;
  for (std::uint32_t i : d.children(static_cast<std::uint32_t>(b - &d[0]))) kinds.push_back(d[i].kind);
  CHECK(kinds == std::vector<JsonDoc::Kind>{JsonDoc::Kind::kInteger, JsonDoc::Kind::kBool,
                                            JsonDoc::Kind::kNull});
  const JsonDoc::Node* c = d.member(JsonDoc::kRoot, "c");
  CHECK(d.member(static_cast<std::uint32_t>(c - &d[0]), "d")->text == "\xC3\xA9");
  CHECK(d.member(JsonDoc::kRoot, "zz") == nullptr);
}

TEST_CASE("duplicate keys are refused, with the path of the repeat", "[json]") {
  const Status s = parse(R"({"data":{"amount":"1","amount":"2"}})");
  CHECK(s.code() == Code::kDuplicateKey);
  CHECK(s.field() == "data.amount");
  CHECK(s.message() == "the key \"amount\" appears twice at byte 30");
  // Keys that only differ once unescaped are the same key.
  CHECK(parse(R"({"a":1,"\u0061":2})").code() == Code::kDuplicateKey);
}

TEST_CASE("duplicate keys are found in objects with many keys too", "[json]") {
  std::string text = "{";
  for (int i = 0; i < 200; ++i) text += "\"k" + std::to_string(i) + "\":1,";
  text += "\"k17\":2}";
  const Status s = parse_json_doc(text, JsonLimits{4, 16}).status();
  CHECK(s.code() == Code::kDuplicateKey);
  CHECK(s.field() == "k17");
}

TEST_CASE("floating-point numbers are refused anywhere", "[json]") {
  for (const char* text : {"1.5", "[1e3]", R"({"a":{"b":-0.0}})", "1E+2", "[0.1]"}) {
    INFO(text);
    CHECK(parse(text).code() == Code::kFloatNotAllowed);
  }
  CHECK(parse(R"({"a":{"b":-0.0}})").field() == "a.b");
}

TEST_CASE("integers outside 64 bits are refused", "[json]") {
  CHECK(parse("9223372036854775807").is_ok());
  CHECK(parse("-9223372036854775808").is_ok());
  CHECK(parse("9223372036854775808").code() == Code::kIntegerOutOfRange);
  CHECK(parse("-9223372036854775809").code() == Code::kIntegerOutOfRange);
}

TEST_CASE("invalid UTF-8 is refused", "[json]") {
  const auto code = [](std::string text) { return parse("[\"" + text + "\"]").code(); };
  CHECK(code("\xC3\xA9") == Code::kOk);                // é
  CHECK(code("\xF0\x9F\x98\x80") == Code::kOk);        // U+1F600
  CHECK(code("\xC3") == Code::kInvalidUtf8);        // truncated
  CHECK(code("\xC0\xAF") == Code::kInvalidUtf8);    // overlong '/'
  CHECK(code("\xE0\x80\xAF") == Code::kInvalidUtf8);
  CHECK(code("\xED\xA0\x80") == Code::kInvalidUtf8);  // a surrogate, encoded
  CHECK(code("\xF4\x90\x80\x80") == Code::kInvalidUtf8);  // above U+10FFFF
  CHECK(code("\x80") == Code::kInvalidUtf8);        // a lone continuation byte
  CHECK(code("\xFF") == Code::kInvalidUtf8);
  CHECK(code("\\ud800") == Code::kInvalidUtf8);     // a lone high surrogate escape
  CHECK(code("\\udc00") == Code::kInvalidUtf8);     // a lone low surrogate escape
  CHECK(code("\\ud800\\u0041") == Code::kInvalidUtf8);
  CHECK(code("\\ud83d\\ude00") == Code::kOk);          // a pair is fine
  CHECK(parse("[\"a\xFF\"]").field() == "[0]");
}

TEST_CASE("nesting deeper than the limit is refused with its path", "[json]") {
  CHECK(parse(R"({"a":{"b":{"c":[]}}})").is_ok());  // depth 4
  const Status s = parse(R"({"a":{"b":{"c":[[]]}}})");
  CHECK(s.code() == Code::kTooDeep);
  CHECK(s.field() == "a.b.c[0]");
  // A deep document fails at the limit, without recursing through all of it.
  CHECK(parse(std::string(100000, '[')).code() == Code::kTooDeep);
}

TEST_CASE("strings longer than the limit are refused, keys included", "[json]") {
  CHECK(parse(R"(["0123456789abcdef"])").is_ok());  // 16 bytes
  const Status s = parse(R"({"k":"0123456789abcdefg"})");
  CHECK(s.code() == Code::kStringTooLong);
  CHECK(s.field() == "k");
  CHECK(parse(R"({"0123456789abcdefg":1})").code() == Code::kStringTooLong);
  // The limit counts bytes once unescaped: 16 escapes are 16 bytes.
  CHECK(parse(R"(["\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"])").is_ok());
}

TEST_CASE("malformed text is refused with the byte where it went wrong", "[json]") {
  const auto message = [](std::string_view text) { return parse(text).message(); };
  CHECK(parse("").code() == Code::kMalformedJson);
  CHECK(message("{\"a\" 1}") == "expected ':' after an object key at byte 5");
  CHECK(message("[1,]") == "unexpected character at byte 3");
  CHECK(message("[01]") == "a number has a leading zero at byte 1");
  CHECK(message("{\"a\":1}x") == "unexpected text after the value at byte 7");
  CHECK(message("[\"a\tb\"]") == "control character in a string must be escaped at byte 3");
  CHECK(message("[\"\\x\"]") == "unknown escape in a string at byte 4");
  CHECK(message("[\"abc") == "unterminated string at byte 5");
  CHECK(message("{a:1}") == "expected a string as object key at byte 1");
  CHECK(message("[tru]") == "unexpected character at byte 1");
  CHECK(message("\xEF\xBB\xBF[]") == "unexpected character at byte 0");  // a byte-order mark
}

TEST_CASE("is_valid_utf8", "[json]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain \xE2\x82\xAC"));
  CHECK_FALSE(is_valid_utf8("\xE2\x82"));
  CHECK_FALSE(is_valid_utf8("\xC1\xBF"));
}

TEST_CASE("parse_json gives an nlohmann tree", "[json]") {
  Result<nlohmann::json> v = parse_json(R"({"a":[1,"b",null,false]})", kLimits);
  REQUIRE(v.is_ok());
  CHECK(v->dump() == R"({"a":[1,"b",null,false]})");
}

}  // namespace
}  // namespace fundledger
