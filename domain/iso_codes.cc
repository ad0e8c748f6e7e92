#include "domain/iso_codes.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fundledger {
namespace {

struct CurrencyEntry {
  std::string_view code;
  int minor_units;
};

// ISO 4217 list one (current currency and fund codes), as amended through
// Amendment 180 (September 2025): includes VED (170), SLE (171), XCG (176),
// ZWG (177) and XAD (179, effective 2025-05-12). BGN is still on list one in
// 2025; Amendment 180 moves it to list three from 2026-01-01, and it stays
// here like the other withdrawn codes below.
//
// Excluded: every code whose minor unit is "N.A." (XAG, XAU, XBA, XBB, XBC,
// XBD, XDR, XPD, XPT, XSU, XTS, XUA, XXX), because an amount needs a defined
// number of decimals. Fund codes that do have a minor unit (BOV, CHE, CHW,
// CLF, COU, MXV, USN, UYI, UYW, XAD) are included.
//
// Withdrawn codes: the fund has kept books since 2012, and pledges recorded in
// a currency that was later withdrawn must still validate and keep their
// original precision, so every code withdrawn from list one from 2012 onward
// (with a defined minor unit) is kept, with the minor unit it had on list one.
// Each is marked with its withdrawal date from list three. EEK (2011-01) is out
// of range; XFU (2013-11) is left out because its minor unit was N.A.
//
// Cross-checked against (stored public copies):
//   - datasets/currency-codes data/codes-all.csv (rev. 1434fbe0, built from the
//     SIX list one and list three files; current codes, minor units and the
//     withdrawal dates quoted below), and its 2012 revision for the minor units
//     the withdrawn codes had while they were on list one;
//   - openjdk/jdk CurrencyData.properties (minor0/minor3/minor4 lists);
//   - RemyDuijkeren/NodaMoney CurrencyRegistry.cs (historic codes and dates);
//   - moneyphp/iso-currencies resources/current.yaml;
//   - the text of Amendments 177, 179 and 180 as quoted in
//     marcwrobel/jbanking issues #408, #488 and #497.
//
// Must stay strictly sorted by code: a static_assert below checks it.
constexpr auto kCurrencies = std::to_array<CurrencyEntry>({
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2},
    {"ANG", 2},  // Withdrawn 2025-03: replaced by XCG (Amendment 176).
    {"AOA", 2}, {"ARS", 2}, {"AUD", 2}, {"AWG", 2}, {"AZN", 2},
    {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0},
    {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2},
    {"BTN", 2}, {"BWP", 2}, {"BYN", 2},
    {"BYR", 0},  // Withdrawn 2017-01: redenominated as BYN (2016-07).
    {"BZD", 2},
    {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2}, {"CHW", 2}, {"CLF", 4},
    {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2}, {"CRC", 2},
    {"CUC", 2},  // Withdrawn 2021-06: Cuban monetary unification, use CUP.
    {"CUP", 2}, {"CVE", 2}, {"CZK", 2},
    {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2},
    {"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2},
    {"FJD", 2}, {"FKP", 2},
    {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2}, {"GNF", 0},
    {"GTQ", 2}, {"GYD", 2},
    {"HKD", 2}, {"HNL", 2},
    {"HRK", 2},  // Withdrawn 2023-01: Croatia adopted EUR.
    {"HTG", 2}, {"HUF", 2},
    {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0},
    {"JMD", 2}, {"JOD", 3}, {"JPY", 0},
    {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0},
    {"KWD", 3}, {"KYD", 2}, {"KZT", 2},
    {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2},
    {"LTL", 2},  // Withdrawn 2014-12: Lithuania adopted EUR (2015-01-01).
    {"LVL", 2},  // Withdrawn 2014-01: Latvia adopted EUR.
    {"LYD", 3},
    {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2},
    {"MOP", 2},
    {"MRO", 2},  // Withdrawn 2017-12: redenominated as MRU (2018-01-01).
    {"MRU", 2}, {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2},
    {"MYR", 2}, {"MZN", 2},
    {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2},
    {"OMR", 3},
    {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2},
    {"PYG", 0},
    {"QAR", 2},
    {"RON", 2}, {"RSD", 2}, {"RUB", 2}, {"RWF", 0},
    {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2},
    {"SHP", 2}, {"SLE", 2},
    {"SLL", 2},  // Withdrawn 2023-12: redenominated as SLE.
    {"SOS", 2}, {"SRD", 2}, {"SSP", 2},
    {"STD", 2},  // Withdrawn 2017-12: redenominated as STN (2018-01-01).
    {"STN", 2}, {"SVC", 2}, {"SYP", 2}, {"SZL", 2},
    {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2},
    {"TTD", 2}, {"TWD", 2}, {"TZS", 2},
    {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2},
    {"USS", 2},  // Withdrawn 2014-03: US Dollar (Same day) fund code.
    {"UYI", 0}, {"UYU", 2}, {"UYW", 4}, {"UZS", 2},
    {"VED", 2},
    {"VEF", 2},  // Withdrawn 2018-08: redenominated as VES.
    {"VES", 2}, {"VND", 0}, {"VUV", 0},
    {"WST", 2},
    {"XAD", 2}, {"XAF", 0}, {"XCD", 2}, {"XCG", 2}, {"XOF", 0}, {"XPF", 0},
    {"YER", 2},
    {"ZAR", 2},
    {"ZMK", 2},  // Withdrawn 2012-12: redenominated as ZMW (2013-01-01).
    {"ZMW", 2}, {"ZWG", 2},
    {"ZWL", 2},  // Withdrawn 2024-09: replaced by ZWG (Amendment 177).
});

// ISO 3166-1 alpha-3, officially assigned codes only (249, unchanged since
// BES, CUW, SXM and SSD were added in 2010-2011; later changes such as SWZ
// "Eswatini", MKD "North Macedonia" and TUR "Türkiye" renamed entries without
// changing codes). User-assigned codes (AAA-AAZ, QMA-QZZ, XAA-XZZ, ZZA-ZZZ,
// hence XKX for Kosovo) and reserved codes (e.g. ANT, SCG) are not countries.
//
// Cross-checked against lukes/ISO-3166-Countries-with-Regional-Codes
// slim-3/slim-3.csv (249 rows, identical set). The alpha-2 codes (for IATI,
// whose country codelist is alpha-2) are those of Debian's iso-codes,
// /usr/share/iso-codes/json/iso_3166-1.json, the same 249 countries.
//
// Must stay strictly sorted: a static_assert below checks it.
struct CountryEntry {
  std::string_view alpha3;
  std::string_view alpha2;
};
constexpr auto kCountryCodes = std::to_array<CountryEntry>({
    {"ABW", "AW"}, {"AFG", "AF"}, {"AGO", "AO"}, {"AIA", "AI"}, {"ALA", "AX"}, {"ALB", "AL"},
    {"AND", "AD"}, {"ARE", "AE"}, {"ARG", "AR"}, {"ARM", "AM"}, {"ASM", "AS"}, {"ATA", "AQ"},
    {"ATF", "TF"}, {"ATG", "AG"}, {"AUS", "AU"}, {"AUT", "AT"}, {"AZE", "AZ"},
    {"BDI", "BI"}, {"BEL", "BE"}, {"BEN", "BJ"}, {"BES", "BQ"}, {"BFA", "BF"}, {"BGD", "BD"},
    {"BGR", "BG"}, {"BHR", "BH"}, {"BHS", "BS"}, {"BIH", "BA"}, {"BLM", "BL"}, {"BLR", "BY"},
    {"BLZ", "BZ"}, {"BMU", "BM"}, {"BOL", "BO"}, {"BRA", "BR"}, {"BRB", "BB"}, {"BRN", "BN"},
    {"BTN", "BT"}, {"BVT", "BV"}, {"BWA", "BW"},
    {"CAF", "CF"}, {"CAN", "CA"}, {"CCK", "CC"}, {"CHE", "CH"}, {"CHL", "CL"}, {"CHN", "CN"},
    {"CIV", "CI"}, {"CMR", "CM"}, {"COD", "CD"}, {"COG", "CG"}, {"COK", "CK"}, {"COL", "CO"},
    {"COM", "KM"}, {"CPV", "CV"}, {"CRI", "CR"}, {"CUB", "CU"}, {"CUW", "CW"}, {"CXR", "CX"},
    {"CYM", "KY"}, {"CYP", "CY"}, {"CZE", "CZ"},
    {"DEU", "DE"}, {"DJI", "DJ"}, {"DMA", "DM"}, {"DNK", "DK"}, {"DOM", "DO"}, {"DZA", "DZ"},
    {"ECU", "EC"}, {"EGY", "EG"}, {"ERI", "ER"}, {"ESH", "EH"}, {"ESP", "ES"}, {"EST", "EE"},
    {"ETH", "ET"},
    {"FIN", "FI"}, {"FJI", "FJ"}, {"FLK", "FK"}, {"FRA", "FR"}, {"FRO", "FO"}, {"FSM", "FM"},
    {"GAB", "GA"}, {"GBR", "GB"}, {"GEO", "GE"}, {"GGY", "GG"}, {"GHA", "GH"}, {"GIB", "GI"},
    {"GIN", "GN"}, {"GLP", "GP"}, {"GMB", "GM"}, {"GNB", "GW"}, {"GNQ", "GQ"}, {"GRC", "GR"},
    {"GRD", "GD"}, {"GRL", "GL"}, {"GTM", "GT"}, {"GUF", "GF"}, {"GUM", "GU"}, {"GUY", "GY"},
    {"HKG", "HK"}, {"HMD", "HM"}, {"HND", "HN"}, {"HRV", "HR"}, {"HTI", "HT"}, {"HUN", "HU"},
    {"IDN", "ID"}, {"IMN", "IM"}, {"IND", "IN"}, {"IOT", "IO"}, {"IRL", "IE"}, {"IRN", "IR"},
    {"IRQ", "IQ"}, {"ISL", "IS"}, {"ISR", "IL"}, {"ITA", "IT"},
    {"JAM", "JM"}, {"JEY", "JE"}, {"JOR", "JO"}, {"JPN", "JP"},
    {"KAZ", "KZ"}, {"KEN", "KE"}, {"KGZ", "KG"}, {"KHM", "KH"}, {"KIR", "KI"}, {"KNA", "KN"},
    {"KOR", "KR"}, {"KWT", "KW"},
    {"LAO", "LA"}, {"LBN", "LB"}, {"LBR", "LR"}, {"LBY", "LY"}, {"LCA", "LC"}, {"LIE", "LI"},
    {"LKA", "LK"}, {"LSO", "LS"}, {"LTU", "LT"}, {"LUX", "LU"}, {"LVA", "LV"},
    {"MAC", "MO"}, {"MAF", "MF"}, {"MAR", "MA"}, {"MCO", "MC"}, {"MDA", "MD"}, {"MDG", "MG"},
    {"MDV", "MV"}, {"MEX", "MX"}, {"MHL", "MH"}, {"MKD", "MK"}, {"MLI", "ML"}, {"MLT", "MT"},
    {"MMR", "MM"}, {"MNE", "ME"}, {"MNG", "MN"}, {"MNP", "MP"}, {"MOZ", "MZ"}, {"MRT", "MR"},
    {"MSR", "MS"}, {"MTQ", "MQ"}, {"MUS", "MU"}, {"MWI", "MW"}, {"MYS", "MY"}, {"MYT", "YT"},
    {"NAM", "NA"}, {"NCL", "NC"}, {"NER", "NE"}, {"NFK", "NF"}, {"NGA", "NG"}, {"NIC", "NI"},
    {"NIU", "NU"}, {"NLD", "NL"}, {"NOR", "NO"}, {"NPL", "NP"}, {"NRU", "NR"}, {"NZL", "NZ"},
    {"OMN", "OM"},
    {"PAK", "PK"}, {"PAN", "PA"}, {"PCN", "PN"}, {"PER", "PE"}, {"PHL", "PH"}, {"PLW", "PW"},
    {"PNG", "PG"}, {"POL", "PL"}, {"PRI", "PR"}, {"PRK", "KP"}, {"PRT", "PT"}, {"PRY", "PY"},
    {"PSE", "PS"}, {"PYF", "PF"},
    {"QAT", "QA"},
    {"REU", "RE"}, {"ROU", "RO"}, {"RUS", "RU"}, {"RWA", "RW"},
    {"SAU", "SA"}, {"SDN", "SD"}, {"SEN", "SN"}, {"SGP", "SG"}, {"SGS", "GS"}, {"SHN", "SH"},
    {"SJM", "SJ"}, {"SLB", "SB"}, {"SLE", "SL"}, {"SLV", "SV"}, {"SMR", "SM"}, {"SOM", "SO"},
    {"SPM", "PM"}, {"SRB", "RS"}, {"SSD", "SS"}, {"STP", "ST"}, {"SUR", "SR"}, {"SVK", "SK"},
    {"SVN", "SI"}, {"SWE", "SE"}, {"SWZ", "SZ"}, {"SXM", "SX"}, {"SYC", "SC"}, {"SYR", "SY"},
    {"TCA", "TC"}, {"TCD", "TD"}, {"TGO", "TG"}, {"THA", "TH"}, {"TJK", "TJ"}, {"TKL", "TK"},
    {"TKM", "TM"}, {"TLS", "TL"}, {"TON", "TO"}, {"TTO", "TT"}, {"TUN", "TN"}, {"TUR", "TR"},
    {"TUV", "TV"}, {"TWN", "TW"}, {"TZA", "TZ"},
    {"UGA", "UG"}, {"UKR", "UA"}, {"UMI", "UM"}, {"URY", "UY"}, {"USA", "US"}, {"UZB", "UZ"},
    {"VAT", "VA"}, {"VCT", "VC"}, {"VEN", "VE"}, {"VGB", "VG"}, {"VIR", "VI"}, {"VNM", "VN"},
    {"VUT", "VU"},
    {"WLF", "WF"}, {"WSM", "WS"},
    {"YEM", "YE"},
    {"ZAF", "ZA"}, {"ZMB", "ZM"}, {"ZWE", "ZW"},
});

constexpr bool is_upper_alpha3(std::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

constexpr bool currencies_well_formed() {
  for (std::size_t i = 0; i < kCurrencies.size(); ++i) {
    if (!is_upper_alpha3(kCurrencies[i].code)) return false;
    if (kCurrencies[i].minor_units < 0 || kCurrencies[i].minor_units > 4) {
      return false;
    }
    if (i > 0 && !(kCurrencies[i - 1].code < kCurrencies[i].code)) return false;
  }
  return true;
}

constexpr bool countries_well_formed() {
  for (std::size_t i = 0; i < kCountryCodes.size(); ++i) {
    if (!is_upper_alpha3(kCountryCodes[i].alpha3) || kCountryCodes[i].alpha2.size() != 2) return false;
    if (i > 0 && !(kCountryCodes[i - 1].alpha3 < kCountryCodes[i].alpha3)) return false;
  }
  return true;
}

static_assert(currencies_well_formed(),
              "kCurrencies must be strictly sorted upper-case 3-letter codes "
              "with 0-4 minor units");
static_assert(countries_well_formed(),
              "kCountryCodes must be strictly sorted upper-case 3-letter "
              "codes");
// 166 list-one codes with a minor unit + 13 withdrawn since 2012. Update the
// counts deliberately when the lists change; they catch accidental deletions.
static_assert(kCurrencies.size() == 179);
static_assert(kCountryCodes.size() == 249);

}  // namespace

std::optional<int> currency_minor_units(std::string_view code) {
  const auto it = std::lower_bound(
      kCurrencies.begin(), kCurrencies.end(), code,
      [](const CurrencyEntry& entry, std::string_view key) {
        return entry.code < key;
      });
  if (it == kCurrencies.end() || it->code != code) return std::nullopt;
  return it->minor_units;
}

bool is_country_code(std::string_view code) { return country_alpha2(code).has_value(); }

Result<std::string> country_list(std::string_view s) {
  std::vector<std::string_view> codes;
  for (std::size_t start = 0; start <= s.size();) {
    const std::size_t space = std::min(s.find(' ', start), s.size());
    const std::string_view code = s.substr(start, space - start);
    if (!is_country_code(code)) {
      return Status::error(Code::kInvalidCountry, "\"" + std::string(code.substr(0, 16)) +
                                                      "\" is not an ISO 3166-1 alpha-3 country code (codes are "
                                                      "separated by one space)");
    }
    if (std::find(codes.begin(), codes.end(), code) != codes.end()) {
      return Status::error(Code::kInvalidValue, "names " + std::string(code) + " twice");
    }
    codes.push_back(code);
    start = space + 1;
  }
  std::sort(codes.begin(), codes.end());
  std::string out;
  for (const std::string_view code : codes) {
    if (!out.empty()) out += ' ';
    out += code;
  }
  return out;
}

std::optional<std::string_view> country_alpha2(std::string_view alpha3) {
  const auto it = std::lower_bound(kCountryCodes.begin(), kCountryCodes.end(), alpha3,
                                   [](const CountryEntry& entry, std::string_view key) { return entry.alpha3 < key; });
  if (it == kCountryCodes.end() || it->alpha3 != alpha3) return std::nullopt;
  return it->alpha2;
}

}  // namespace fundledger
