// The one table of codes: each code once, named as clients read it, with an
// HTTP status the server can answer, an exit code of SPEC 5 and a meaning.

#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "util/error_codes.h"
#include "util/status.h"

namespace fundledger {
namespace {

TEST_CASE("every code is named once, with a status, an exit code and a meaning", "[codes]") {
  std::set<std::string_view> names;
  for (const CodeInfo& info : kCodes) {
    INFO(info.name);
    CHECK(names.insert(info.name).second);
    CHECK(code_from_name(info.name) == info.code);
    CHECK(code_name(info.code) == info.name);
    for (const char c : info.name) CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'));
    const int http = info.http_status;
    CHECK((http == 0 || http == 200 || (http >= 400 && http < 500) || http == 500 || http == 503));
    CHECK((info.exit_code >= 0 && info.exit_code <= 2));
    CHECK((info.exit_code == 0) == (info.code == Code::kOk));
    CHECK_FALSE(info.meaning.empty());
    CHECK(info.meaning.find('\n') == std::string_view::npos);
  }
  CHECK(kCodes[0].code == Code::kOk);
  CHECK(code_from_name("invalid_amonut") == std::nullopt);
}

TEST_CASE("a malformed field is 400 and a rule of SPEC 2 is 422, whichever finds it", "[codes]") {
  for (const Code c : {Code::kInvalidAmount, Code::kInvalidDate, Code::kInvalidCurrency, Code::kInvalidId,
                       Code::kInvalidValue, Code::kMissingField, Code::kUnknownField}) {
    CHECK(http_status(c) == 400);
  }
  for (const Code c : {Code::kInvalidDates, Code::kUsdMismatch, Code::kDuplicate, Code::kUnknownPledge,
                       Code::kExceedsOutstanding, Code::kInsufficientCash, Code::kAmountOverflow}) {
    CHECK(http_status(c) == 422);
  }
  // Mistakes in how a command was called exit 2.
  for (const Code c : {Code::kUsage, Code::kNoLedger, Code::kInvalidAsOf, Code::kInvalidSeq, Code::kInvalidTreeSize}) {
    CHECK(exit_code(c) == 2);
  }
}

TEST_CASE("a Status carries its code, message and field", "[codes]") {
  const Status s = Status::error(Code::kInvalidAmount, "\"1.001\" is not a valid amount", "amount");
  CHECK(s.code() == Code::kInvalidAmount);
  CHECK(s.to_string() == "invalid_amount: \"1.001\" is not a valid amount (amount)");
  CHECK(s.under("data").field() == "data.amount");
  CHECK(Status::ok().code() == Code::kOk);
  CHECK(Status::ok().to_string() == "ok");
}

}  // namespace
}  // namespace fundledger
