// Decoding what a client sends: every event type, its normalisation, and
// each refusal with its code and the field's path.

#include <catch2/catch.hpp>

#include "domain/event.h"
#include "domain/formats.h"
#include "util/canonical.h"

namespace fundledger {
namespace {

Draft decoded(std::string_view text) {
  Result<Draft> d = decode_draft(text);
  INFO(text);
  REQUIRE(d.status().to_string() == "ok");
  return std::move(*d);
}

// "code field" of the refusal of `text`.
std::string refusal(std::string_view text) {
  Result<Draft> d = decode_draft(text);
  INFO(text);
  REQUIRE_FALSE(d.is_ok());
  return std::string(code_name(d.status().code())) + " " + d.status().field();
}

TEST_CASE("each event type decodes, with its data in canonical form", "[event]") {
  struct Case {
    const char* input;
    const char* data_bytes;
  };
  const Case cases[] = {
      {R"({"id":"e1","type":"donor.registered","data":{"name":"Japan","donor":"JPN","kind":"government","country":"JPN"}})",
       R"({"country":"JPN","donor":"JPN","kind":"government","name":"Japan"})"},
      {R"({"id":"e2","type":"programme.registered","data":{"programme":"spp","name":"Sustainable public procurement"}})",
       R"({"name":"Sustainable public procurement","programme":"spp"})"},
      {R"({"id":"e3","type":"pledge.recorded","data":{"pledge":"p1","donor":"JPN","amount":"300000000","currency":"JPY","pledged_on":"2014-06-27","programme":"spp","due_on":"2015-06-30"}})",
       R"({"amount":"300000000","currency":"JPY","donor":"JPN","due_on":"2015-06-30","pledge":"p1","pledged_on":"2014-06-27","programme":"spp"})"},
      {R"({"id":"e4","type":"pledge.written_off","data":{"pledge":"p1","amount":"1000","written_off_on":"2016-12-31","reason":"Reduced"}})",
       R"({"amount":"1000","pledge":"p1","reason":"Reduced","written_off_on":"2016-12-31"})"},
      {R"({"id":"e5","type":"contribution.received","data":{"contribution":"c1","donor":"DEU","pledge":"p2","amount":"150000.5","currency":"EUR","usd":"204000","received_on":"2014-04-22"}})",
       R"({"amount":"150000.50","contribution":"c1","currency":"EUR","donor":"DEU","pledge":"p2","received_on":"2014-04-22","usd":"204000.00"})"},
      {R"({"id":"e6","type":"call.opened","data":{"call":"c1","title":"First call","programme":"spp","decision":"B-2014-1","budget_usd":"1000000","opened_on":"2014-10-01","closes_on":"2014-12-15","regions":["GRULAC","AFR"]}})",
       R"({"budget_usd":"1000000.00","call":"c1","closes_on":"2014-12-15","decision":"B-2014-1","opened_on":"2014-10-01","programme":"spp","regions":["GRULAC","AFR"],"title":"First call"})"},
      {R"({"id":"e7","type":"call.closed","data":{"call":"c1","closed_on":"2014-12-15"}})",
       R"({"call":"c1","closed_on":"2014-12-15"})"},
      {R"({"id":"e8","type":"proposal.submitted","data":{"proposal":"pr1","call":"c1","applicant":"Kenya NCPC","country":"KEN","region":"AFR","requested_usd":"200000","submitted_on":"2014-11-03","focal_point":"Ministry"}})",
       R"({"applicant":"Kenya NCPC","call":"c1","country":"KEN","focal_point":"Ministry","proposal":"pr1","region":"AFR","requested_usd":"200000.00","submitted_on":"2014-11-03"})"},
      {R"({"id":"e9","type":"proposal.approved","data":{"proposal":"pr1","approved_usd":"180000","decision":"B-2015-1","decided_on":"2015-02-10"}})",
       R"({"approved_usd":"180000.00","decided_on":"2015-02-10","decision":"B-2015-1","proposal":"pr1"})"},
      {R"({"id":"e10","type":"proposal.rejected","data":{"proposal":"pr2","decision":"B-2015-1","decided_on":"2015-02-10","reason":"Out of scope"}})",
       R"({"decided_on":"2015-02-10","decision":"B-2015-1","proposal":"pr2","reason":"Out of scope"})"},
      {R"({"id":"e11","type":"disbursement.made","data":{"disbursement":"d1","proposal":"pr1","amount_usd":"90000","paid_on":"2015-03-20"}})",
       R"({"amount_usd":"90000.00","disbursement":"d1","paid_on":"2015-03-20","proposal":"pr1"})"},
      {R"({"id":"e12","type":"refund.received","data":{"refund":"r1","proposal":"pr1","amount_usd":"0.5","received_on":"2016-02-01"}})",
       R"({"amount_usd":"0.50","proposal":"pr1","received_on":"2016-02-01","refund":"r1"})"},
      {R"({"id":"e13","type":"allocation.released","data":{"proposal":"pr1","amount_usd":"20000","released_on":"2016-03-01","reason":"Under budget"}})",
       R"({"amount_usd":"20000.00","proposal":"pr1","reason":"Under budget","released_on":"2016-03-01"})"},
      {R"({"id":"e17","type":"income.received","data":{"income":"i1","kind":"interest","amount_usd":"1850","received_on":"2014-12-31"}})",
       R"({"amount_usd":"1850.00","income":"i1","kind":"interest","received_on":"2014-12-31"})"},
      {R"({"id":"e18","type":"cost.charged","data":{"cost":"x1","kind":"bank_charge","amount_usd":"12.5","charged_on":"2015-01-31","reason":"Transfer fees"}})",
       R"({"amount_usd":"12.50","charged_on":"2015-01-31","cost":"x1","kind":"bank_charge","reason":"Transfer fees"})"},
      {R"({"id":"e19","type":"terms.set","data":{"effective_on":"2015-01-01","eligible_countries":"UGA KEN","admin_fee_bps":"100","dual_control_usd":"100000"}})",
       R"({"admin_fee_bps":"100","dual_control_usd":"100000.00","effective_on":"2015-01-01","eligible_countries":"KEN UGA"})"},
      {R"({"id":"e20","type":"disbursement.requested","data":{"disbursement":"d2","proposal":"pr1","amount_usd":"90000","requested_on":"2015-04-01"}})",
       R"({"amount_usd":"90000.00","disbursement":"d2","proposal":"pr1","requested_on":"2015-04-01"})"},
      {R"({"id":"e21","type":"disbursement.cancelled","data":{"disbursement":"d2","cancelled_on":"2015-04-02","reason":"Bank details changed"}})",
       R"({"cancelled_on":"2015-04-02","disbursement":"d2","reason":"Bank details changed"})"},
      {R"({"id":"e22","type":"decision.recorded","data":{"decision":"B-2015-1","meeting_on":"2015-02-10","kind":"approval","summary":"Five grants of the first call"}})",
       R"({"decision":"B-2015-1","kind":"approval","meeting_on":"2015-02-10","summary":"Five grants of the first call"})"},
      {R"({"id":"e23","type":"board.member.appointed","data":{"member":"m-fin","country":"FIN","region":"WEOG","seat":"WEOG-2","from":"2013-09-01","to":"2015-08-31","shared_with":"DEU"}})",
       R"({"country":"FIN","from":"2013-09-01","member":"m-fin","region":"WEOG","seat":"WEOG-2","shared_with":"DEU","to":"2015-08-31"})"},
      {R"({"id":"e24","type":"board.member.left","data":{"member":"m-fin","left_on":"2015-01-31","reason":"Germany takes the seat"}})",
       R"({"left_on":"2015-01-31","member":"m-fin","reason":"Germany takes the seat"})"},
      {R"({"id":"e16","type":"entry.reversed","data":{"seq":"11","reversed_on":"2015-03-21","reason":"Paid twice","amount_usd":"90000"}})",
       R"({"amount_usd":"90000.00","reason":"Paid twice","reversed_on":"2015-03-21","seq":"11"})"},
      {R"({"id":"e14","type":"access.granted","data":{"token":"0123456789abcdef","role":"board","name":"bea","expires_on":"2027-03-01"}})",
       R"({"expires_on":"2027-03-01","name":"bea","role":"board","token":"0123456789abcdef"})"},
      {R"({"id":"e15","type":"access.revoked","data":{"token":"0123456789abcdef","role":"board","name":"bea"}})",
       R"({"name":"bea","role":"board","token":"0123456789abcdef"})"},
  };
  std::size_t type = 0;
  for (const Case& c : cases) {
    const Draft d = decoded(c.input);
    CHECK(static_cast<std::size_t>(d.type) == type++);
    CHECK(d.data_bytes == c.data_bytes);
  }
  CHECK(type == kEventTypeCount);
}

TEST_CASE("an income or a cost names one of its kinds; terms a fee of 0 to 10000 basis points and each country "
          "once",
          "[event]") {
  const auto message = [](std::string_view text) {
    Result<Draft> d = decode_draft(text);
    REQUIRE_FALSE(d.is_ok());
    return d.status().to_string();
  };
  CHECK(message(R"({"id":"i","type":"income.received","data":{"income":"i","kind":"gift","amount_usd":"1","received_on":"2015-01-01"}})") ==
        "invalid_value: must be one of interest, investment, other (data.kind)");
  CHECK(message(R"({"id":"x","type":"cost.charged","data":{"cost":"x","kind":"interest","amount_usd":"1","charged_on":"2015-01-01","reason":"r"}})") ==
        "invalid_value: must be one of admin_fee, direct_cost, bank_charge, other (data.kind)");
  const std::string bad_fee = "invalid_value: must be a whole number of basis points (hundredths of a percent) from 0 "
                              "to 10000 (data.admin_fee_bps)";
  CHECK(message(R"({"id":"t","type":"terms.set","data":{"effective_on":"2015-01-01","admin_fee_bps":"10001"}})") == bad_fee);
  CHECK(message(R"({"id":"t","type":"terms.set","data":{"effective_on":"2015-01-01","admin_fee_bps":"0100"}})") == bad_fee);
  CHECK(message(R"({"id":"t","type":"terms.set","data":{"effective_on":"2015-01-01","admin_fee_bps":"-1"}})") == bad_fee);
  CHECK(decoded(R"({"id":"t","type":"terms.set","data":{"effective_on":"2015-01-01","admin_fee_bps":"10000"}})").data_bytes ==
        R"({"admin_fee_bps":"10000","effective_on":"2015-01-01"})");
  CHECK(decoded(R"({"id":"t","type":"terms.set","data":{"effective_on":"2015-01-01","admin_fee_bps":"0"}})").data_bytes ==
        R"({"admin_fee_bps":"0","effective_on":"2015-01-01"})");
  CHECK(message(R"({"id":"t","type":"terms.set","data":{"effective_on":"2015-01-01","eligible_countries":"KEN UGA KEN"}})") ==
        "invalid_value: names KEN twice (data.eligible_countries)");
  CHECK(message(R"({"id":"t","type":"terms.set","data":{"effective_on":"2015-01-01","eligible_countries":"KEN  UGA"}})") ==
        "invalid_country: \"\" is not an ISO 3166-1 alpha-3 country code (codes are separated by one space) "
        "(data.eligible_countries)");
  CHECK(message(R"({"id":"t","type":"terms.set","data":{"effective_on":"2015-01-01","eligible_countries":"KE"}})") ==
        "invalid_country: \"KE\" is not an ISO 3166-1 alpha-3 country code (codes are separated by one space) "
        "(data.eligible_countries)");
  CHECK(message(R"({"id":"t","type":"terms.set","data":{"effective_on":"2015-01-01","eligible_countries":""}})") ==
        "invalid_value: must name at least one country (data.eligible_countries)");
}

TEST_CASE("a Board member's term ends after it begins, co-chairs within it, shares its seat with another country",
          "[event][board]") {
  const auto member = [](const std::string& more) {
    return R"({"id":"a","type":"board.member.appointed","data":{"member":"m","country":"MEX","region":"GRULAC",)"
           R"("seat":"GRULAC-2","from":"2013-09-01")" + more + "}}";
  };
  CHECK(refusal(member(R"(,"to":"2013-08-31")")) == "invalid_dates data.to");
  CHECK(decoded(member(R"(,"to":"2013-09-01")")).type == EventType::kBoardMemberAppointed);
  CHECK(refusal(member(R"(,"to":"2015-08-31","co_chair_to":"2015-09-01")")) == "invalid_dates data.co_chair_to");
  CHECK(refusal(member(R"(,"co_chair_to":"2013-08-31")")) == "invalid_dates data.co_chair_to");
  CHECK(decoded(member(R"(,"to":"2015-08-31","co_chair_to":"2015-08-31")")).type == EventType::kBoardMemberAppointed);
  CHECK(decoded(member(R"(,"co_chair_to":"2013-09-01")")).type == EventType::kBoardMemberAppointed);
  CHECK(refusal(member(R"(,"shared_with":"MEX")")) == "invalid_value data.shared_with");
  CHECK(decoded(member(R"(,"shared_with":"USA")")).type == EventType::kBoardMemberAppointed);
}

TEST_CASE("an access event names a role and a token hash's first 16 hex digits, and no client may send one",
          "[event]") {
  CHECK(refusal(R"({"id":"a","type":"access.granted","data":{"name":"bea","role":"chair","token":"0123456789abcdef"}})") ==
        "invalid_value data.role");
  CHECK(refusal(R"({"id":"a","type":"access.granted","data":{"name":"bea","role":"board","token":"0123456789ABCDEF"}})") ==
        "invalid_value data.token");
  CHECK(refusal(R"({"id":"a","type":"access.revoked","data":{"name":"bea","role":"board","token":"0123456789abcde"}})") ==
        "invalid_value data.token");
  const Draft d = decoded(R"({"id":"a","type":"access.revoked","data":{"name":"bea","role":"board","token":"0123456789abcdef"}})");
  CHECK(check_client_type(d).to_string() ==
        "reserved_type: access.revoked is recorded by the ledger itself when its tokens change: use fundledger token "
        "(type)");
  CHECK(check_client_type(decoded(R"({"id":"e7","type":"call.closed","data":{"call":"c1","closed_on":"2014-12-15"}})"))
            .is_ok());
}

TEST_CASE("amounts keep at most their currency's decimals", "[event]") {
  const std::string usd_ok =
      R"({"id":"e","type":"pledge.recorded","data":{"pledge":"p","donor":"d","amount":"1.25","currency":"USD","pledged_on":"2014-06-27"}})";
  CHECK(*decoded(usd_ok).data.get("amount") == "1.25");
  CHECK(refusal(R"({"id":"e","type":"pledge.recorded","data":{"pledge":"p","donor":"d","amount":"1.255","currency":"USD","pledged_on":"2014-06-27"}})") ==
        "invalid_amount data.amount");
  CHECK(refusal(R"({"id":"e","type":"pledge.recorded","data":{"pledge":"p","donor":"d","amount":"100.5","currency":"JPY","pledged_on":"2014-06-27"}})") ==
        "invalid_amount data.amount");
  CHECK(*decoded(R"({"id":"e","type":"pledge.recorded","data":{"pledge":"p","donor":"d","amount":"1.234","currency":"KWD","pledged_on":"2014-06-27"}})")
             .data.get("amount") == "1.234");
  // An amount as a JSON number is refused before its format is looked at.
  CHECK(refusal(R"({"id":"e","type":"disbursement.made","data":{"disbursement":"d","proposal":"p","amount_usd":90000,"paid_on":"2015-03-20"}})") ==
        "invalid_type data.amount_usd");
  CHECK(refusal(R"({"id":"e","type":"disbursement.made","data":{"disbursement":"d","proposal":"p","amount_usd":900.5,"paid_on":"2015-03-20"}})") ==
        "float_not_allowed data.amount_usd");
  CHECK(refusal(R"({"id":"e","type":"disbursement.made","data":{"disbursement":"d","proposal":"p","amount_usd":"1e3","paid_on":"2015-03-20"}})") ==
        "invalid_amount data.amount_usd");
}

TEST_CASE("a write-off's amount waits for its pledge's currency", "[event]") {
  Draft d = decoded(R"({"id":"w","type":"pledge.written_off","data":{"pledge":"p1","amount":"1000.5","written_off_on":"2016-12-31","reason":"Reduced"}})");
  CHECK(normalise_written_off_amount(d, 2).is_ok());
  CHECK(d.data_bytes == R"({"amount":"1000.50","pledge":"p1","reason":"Reduced","written_off_on":"2016-12-31"})");
  Draft jpy = decoded(R"({"id":"w","type":"pledge.written_off","data":{"pledge":"p1","amount":"1000.5","written_off_on":"2016-12-31","reason":"Reduced"}})");
  const Status s = normalise_written_off_amount(jpy, 0);
  CHECK(s.code() == Code::kInvalidAmount);
  CHECK(s.field() == "data.amount");
}

TEST_CASE("the client never sets what the ledger adds", "[event]") {
  const std::string base = R"("id":"e","type":"call.closed","data":{"call":"c1","closed_on":"2014-12-15"})";
  CHECK(refusal("{" + base + R"(,"seq":1})") == "unknown_field seq");
  CHECK(refusal("{" + base + R"(,"actor":"manager:x"})") == "unknown_field actor");
  CHECK(refusal("{" + base + R"(,"recorded_at":"2026-11-23T10:15:30.123Z"})") == "unknown_field recorded_at");
  CHECK(refusal("{" + base + R"(,"leaf_hash":"00"})") == "unknown_field leaf_hash");
}

TEST_CASE("refusals name the field", "[event]") {
  CHECK(refusal(R"([])") == "invalid_type ");
  CHECK(refusal(R"({"type":"call.closed","data":{"call":"c1","closed_on":"2014-12-15"}})") == "missing_field id");
  CHECK(refusal(R"({"id":"e","data":{}})") == "missing_field type");
  CHECK(refusal(R"({"id":"e","type":"call.closed"})") == "missing_field data");
  CHECK(refusal(R"({"id":7,"type":"call.closed","data":{"call":"c1","closed_on":"2014-12-15"}})") == "invalid_type id");
  CHECK(refusal(R"({"id":"e","type":"call.closed","data":"x"})") == "invalid_type data");
  CHECK(refusal(R"({"id":"bad id","type":"call.closed","data":{"call":"c1","closed_on":"2014-12-15"}})") == "invalid_id id");
  CHECK(refusal(R"({"id":"e","type":"call.reopened","data":{}})") == "unknown_type type");
  CHECK(refusal(R"({"id":"e","type":"call.closed","data":{"call":"c1","closed_on":"2014-12-15","note":"x"}})") == "unknown_field data.note");
  CHECK(refusal(R"({"id":"e","type":"call.closed","data":{"call":"c1"}})") == "missing_field data.closed_on");
  CHECK(refusal(R"({"id":"e","type":"call.closed","data":{"call":"c 1","closed_on":"2014-12-15"}})") == "invalid_id data.call");
  CHECK(refusal(R"({"id":"e","type":"call.closed","data":{"call":"c1","closed_on":"2014-02-30"}})") == "invalid_date data.closed_on");
  CHECK(refusal(R"({"id":"e","type":"call.closed","data":{"call":{"x":"y"},"closed_on":"2014-12-15"}})") == "invalid_type data.call");
  CHECK(refusal(R"({"id":"e","type":"call.closed","data":{"call":["c1"],"closed_on":"2014-12-15"}})") == "invalid_type data.call");
  CHECK(refusal(R"({"id":"e","type":"call.closed","data":{"call":null,"closed_on":"2014-12-15"}})") == "invalid_type data.call");
  CHECK(refusal(R"({"id":"e","type":"call.closed","data":{"call":"c1","call":"c2","closed_on":"2014-12-15"}})") == "duplicate_key data.call");
}

TEST_CASE("codes, kinds, regions and texts are checked", "[event]") {
  const auto donor = [](std::string fields) {
    return R"({"id":"e","type":"donor.registered","data":{"donor":"d",)" + fields + "}}";
  };
  CHECK(refusal(donor(R"("name":"X","kind":"state")")) == "invalid_value data.kind");
  CHECK(refusal(donor(R"("name":"X","kind":"government","country":"XKX")")) == "invalid_country data.country");
  CHECK(refusal(donor(R"("name":"","kind":"government")")) == "invalid_value data.name");
  CHECK(refusal(donor(R"("name":"a\nb","kind":"government")")) == "invalid_value data.name");
  // C1 controls too (U+0085, next line; U+009F), as escapes or as UTF-8;
  // U+00A0 and beyond are text.
  CHECK(refusal(donor(R"("name":"a\u0085b","kind":"government")")) == "invalid_value data.name");
  CHECK(refusal(donor("\"name\":\"a\xC2\x9F\",\"kind\":\"government\"")) == "invalid_value data.name");
  decoded(donor("\"name\":\"S\xC3\xA3o\xC2\xA0Tom\xC3\xA9\",\"kind\":\"government\""));  // requires success
  CHECK(refusal(donor(R"("name":"X","kind":"government","country":7)")) == "invalid_type data.country");
  const auto pledge = [](std::string currency) {
    return R"({"id":"e","type":"pledge.recorded","data":{"pledge":"p","donor":"d","amount":"1","currency":")" +
           currency + R"(","pledged_on":"2014-06-27"}})";
  };
  CHECK(refusal(pledge("usd")) == "invalid_currency data.currency");
  CHECK(refusal(pledge("XAU")) == "invalid_currency data.currency");
  const auto call = [](std::string regions) {
    return R"({"id":"e","type":"call.opened","data":{"call":"c","title":"T","programme":"p","decision":"d","budget_usd":"1","opened_on":"2014-10-01","closes_on":"2014-12-15","regions":)" +
           regions + "}}";
  };
  CHECK(refusal(call(R"(["AFR","EUR"])")) == "invalid_region data.regions[1]");
  CHECK(refusal(call(R"(["AFR","AFR"])")) == "invalid_value data.regions[1]");
  CHECK(refusal(call(R"([])")) == "invalid_value data.regions");
  CHECK(refusal(call(R"(["AFR",1])")) == "invalid_type data.regions[1]");
  CHECK(refusal(call(R"("AFR")")) == "invalid_type data.regions");
  CHECK(refusal(call(R"([["AFR"]])")) == "too_deep data.regions[0]");
  CHECK(refusal(R"({"id":"e","type":"proposal.submitted","data":{"proposal":"p","call":"c","applicant":"A","country":"KEN","region":"EUR","requested_usd":"1","submitted_on":"2014-11-03"}})") ==
        "invalid_region data.region");
}

TEST_CASE("rules between two fields of one event", "[event]") {
  CHECK(refusal(R"({"id":"e","type":"call.opened","data":{"call":"c","title":"T","programme":"p","decision":"d","budget_usd":"1","opened_on":"2014-10-01","closes_on":"2014-09-30"}})") ==
        "invalid_dates data.closes_on");
  CHECK(decoded(R"({"id":"e","type":"call.opened","data":{"call":"c","title":"T","programme":"p","decision":"d","budget_usd":"1","opened_on":"2014-10-01","closes_on":"2014-10-01"}})")
            .type == EventType::kCallOpened);
  CHECK(refusal(R"({"id":"e","type":"contribution.received","data":{"contribution":"c","donor":"d","amount":"100","currency":"USD","usd":"99","received_on":"2014-04-22"}})") ==
        "usd_mismatch data.usd");
  // 100 and 100.00 are the same amount once normalised.
  CHECK(decoded(R"({"id":"e","type":"contribution.received","data":{"contribution":"c","donor":"d","amount":"100","currency":"USD","usd":"100.00","received_on":"2014-04-22"}})")
            .type == EventType::kContributionReceived);
}

TEST_CASE("size limits: 1 KiB a field, 64 KiB an event", "[event]") {
  const auto named = [](std::size_t length) {
    return R"({"id":"e","type":"programme.registered","data":{"programme":"p","name":")" +
           std::string(length, 'n') + "\"}}";
  };
  CHECK(decoded(named(1024)).type == EventType::kProgrammeRegistered);
  CHECK(refusal(named(1025)) == "string_too_long data.name");
  const std::string big = R"({"id":"e","type":"programme.registered","data":{"programme":"p","name":"x"}})" +
                          std::string(kEventBytesMax, ' ');
  CHECK(refusal(big) == "event_too_large ");
}

TEST_CASE("an event's bytes are its canonical JSON, and decode back", "[event]") {
  const Draft d = decoded(R"({"type":"call.closed","data":{"closed_on":"2014-12-15","call":"c1"},"id":"e"})");
  const std::string bytes = event_bytes(d, 42, "2026-11-23T10:15:30.123Z", "manager:alice");
  CHECK(bytes ==
        R"({"actor":"manager:alice","data":{"call":"c1","closed_on":"2014-12-15"},"id":"e","recorded_at":"2026-11-23T10:15:30.123Z","seq":42,"type":"call.closed"})");
  CHECK(check_canonical(bytes, kEventJsonLimits).is_ok());
  Result<Event> e = decode_event(bytes);
  REQUIRE(e.is_ok());
  CHECK(e->seq == 42);
  CHECK(e->id == "e");
  CHECK(e->type == EventType::kCallClosed);
  CHECK(e->actor == "manager:alice");
  CHECK(e->recorded_at == "2026-11-23T10:15:30.123Z");
  CHECK(*e->data.get("call") == "c1");
  CHECK(decode_event(R"({"actor":"manager:alice","data":{"call":"c1","closed_on":"2014-12-15"},"id":"e","recorded_at":"2026-11-23T10:15:30.123Z","seq":0,"type":"call.closed"})")
            .status()
            .field() == "seq");
}

TEST_CASE("an event is shown with its hashes among its members, in canonical order", "[event]") {
  const std::string bytes =
      R"({"actor":"manager:alice","data":{"call":"c1","closed_on":"2014-12-15"},"id":"e","recorded_at":"2026-11-23T10:15:30.123Z","seq":42,"type":"call.closed"})";
  const Hash leaf = sha256("leaf");
  const Hash chain = sha256("chain");
  std::string out;
  REQUIRE(append_event_with_hashes(out, bytes, leaf, chain));
  Result<nlohmann::json> parsed = parse_json(bytes, kEventJsonLimits);
  (*parsed)["leaf_hash"] = to_hex(leaf);
  (*parsed)["chain_hash"] = to_hex(chain);
  CHECK(out == canonical_json(*parsed));
  std::string none;
  CHECK_FALSE(append_event_with_hashes(none, "{}", leaf, chain));
  CHECK(none.empty());
}

TEST_CASE("the envelope of stored bytes is read by its shape", "[event]") {
  const std::string bytes =
      R"({"actor":"manager:alice","data":{"call":"c1","closed_on":"2014-12-15"},"id":"e.1:x","recorded_at":"2026-11-23T10:15:30.123Z","seq":42,"type":"call.closed"})";
  const std::optional<Envelope> e = read_envelope(bytes);
  REQUIRE(e.has_value());
  CHECK(e->actor == "manager:alice");
  CHECK(e->data == R"({"call":"c1","closed_on":"2014-12-15"})");
  CHECK(e->id == "e.1:x");
  CHECK(e->recorded_at == "2026-11-23T10:15:30.123Z");
  CHECK(e->seq == 42);
  CHECK(e->type == EventType::kCallClosed);
  // A data object whose text holds the envelope's words is still read right.
  const std::string tricky =
      R"({"actor":"manager:alice","data":{"name":"x","id":"y","programme":"p"},"id":"e","recorded_at":"2026-11-23T10:15:30.123Z","seq":1,"type":"programme.registered"})";
  REQUIRE(read_envelope(tricky).has_value());
  CHECK(read_envelope(tricky)->id == "e");
  const auto broken = [&](std::string from, std::string to) {
    std::string b = bytes;
    b.replace(b.find(from), from.size(), to);
    return !read_envelope(b).has_value();
  };
  CHECK(broken("\"seq\":42", "\"seq\":042"));
  CHECK(broken("\"seq\":42", "\"seq\":-42"));
  CHECK(broken("\"seq\":42", "\"seq\":\"42\""));
  CHECK(broken("{\"actor\"", "{ \"actor\""));
  CHECK(broken("manager:alice", "admin:alice"));
  CHECK(broken("e.1:x", "e 1"));
  CHECK(broken("10:15:30.123Z", "10:15:30Z"));
  CHECK(broken("call.closed", "call.reopened"));
  CHECK(broken(",\"recorded_at\"", ",\"recorded\""));
  CHECK(broken("\"data\":{", "\"data\":["));
  CHECK_FALSE(read_envelope("").has_value());
  CHECK_FALSE(read_envelope("{\"actor\":\"").has_value());
}

}  // namespace
}  // namespace fundledger
