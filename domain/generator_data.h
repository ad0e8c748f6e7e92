#pragma once
// The generator's own parts (domain/generator.cc): its random numbers, the
// donors, programmes and countries it draws from, and what it remembers of
// the fund it makes. Private to the generator.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/check.h"

namespace fundledger::generator {

// xoshiro256** seeded by splitmix64: the same numbers on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9E3779B97F4A7C15ull;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      s = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n), n > 0 (Lemire's method with rejection).
  std::uint64_t below(std::uint64_t n) {
    FL_CHECK(n > 0);
    for (;;) {
      const unsigned __int128 m = static_cast<unsigned __int128>(next()) * n;
      const auto low = static_cast<std::uint64_t>(m);
      if (low >= (0 - n) % n) return static_cast<std::uint64_t>(m >> 64);
    }
  }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  bool percent(int p) { return below(100) < static_cast<std::uint64_t>(p); }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_;
};

struct DonorTemplate {
  std::string_view name;
  std::string_view kind;
  std::string_view country;  // "" for none
  std::string_view currency;
  std::int64_t usd_micro_per_unit;  // illustrative rate: US$ 10^-6 per major unit
};

inline constexpr std::array<DonorTemplate, 20> kDonors = {{
    {"Japan", "government", "JPN", "JPY", 6'700},
    {"Brazil", "government", "BRA", "BRL", 200'000},
    {"Germany", "government", "DEU", "EUR", 1'080'000},
    {"France", "government", "FRA", "EUR", 1'080'000},
    {"Switzerland", "government", "CHE", "CHF", 1'120'000},
    {"Republic of Korea", "government", "KOR", "KRW", 750},
    {"Sweden", "government", "SWE", "SEK", 95'000},
    {"Norway", "government", "NOR", "NOK", 94'000},
    {"Denmark", "government", "DNK", "DKK", 145'000},
    {"Finland", "government", "FIN", "EUR", 1'080'000},
    {"European Commission", "multilateral", "", "EUR", 1'080'000},
    {"United Kingdom", "government", "GBR", "GBP", 1'270'000},
    {"Kuwait", "government", "KWT", "KWD", 3'250'000},
    {"China", "government", "CHN", "CNY", 140'000},
    {"Canada", "government", "CAN", "CAD", 740'000},
    {"Indonesia", "government", "IDN", "IDR", 64},
    {"Mexico", "government", "MEX", "MXN", 58'000},
    {"Green Futures Foundation", "foundation", "USA", "USD", 1'000'000},
    {"Consumer Goods Alliance", "private", "", "USD", 1'000'000},
    {"South Africa", "government", "ZAF", "ZAR", 54'000},
}};

inline constexpr std::array<std::string_view, 6> kProgrammes = {
    "Consumer information",
    "Sustainable lifestyles and education",
    "Sustainable public procurement",
    "Sustainable buildings and construction",
    "Sustainable tourism, including ecotourism",
    "Sustainable food systems",
};

struct CountryOfRegion {
  std::string_view country;
  std::size_t region;  // index in kRegions
};

inline constexpr std::array<CountryOfRegion, 30> kApplicantCountries = {{
    {"KEN", 0}, {"GHA", 0}, {"SEN", 0}, {"ETH", 0}, {"TZA", 0}, {"MAR", 0}, {"RWA", 0},
    {"IDN", 1}, {"BGD", 1}, {"VNM", 1}, {"PHL", 1}, {"MNG", 1}, {"NPL", 1}, {"LKA", 1},
    {"ROU", 2}, {"UKR", 2}, {"MDA", 2}, {"GEO", 2}, {"SRB", 2}, {"ALB", 2},
    {"MEX", 3}, {"CHL", 3}, {"COL", 3}, {"PER", 3}, {"CRI", 3}, {"ECU", 3}, {"URY", 3},
    {"TUR", 4}, {"GRC", 4}, {"PRT", 4},
}};

inline constexpr std::array<std::string_view, 4> kApplicantKinds = {
    "National Cleaner Production Centre", "Ministry of Environment", "University consortium",
    "Civil society network"};

struct Donor {
  std::string id;
  const DonorTemplate* t;
  int minor_units;
};

struct Pledge {
  std::string id;
  std::size_t donor;
  std::int64_t outstanding;  // in the donor's currency, minor units
};

struct Call {
  std::string id;
  int closes_day;
  std::uint8_t regions;  // bit i set: kRegions[i] eligible
  std::int64_t budget;
  std::int64_t net_approved = 0;
  bool open = true;
};

struct Proposal {
  std::string id;
  std::size_t call;
  std::int64_t requested;
  std::int64_t net_approved = 0;
  std::int64_t net_disbursed = 0;
  std::int64_t reserved = 0;  // requested, not yet made nor cancelled
  int tranches = 0;
};

// Picks an element of `pool` that still satisfies `eligible`, dropping the
// ones that no longer do; nullopt when none is left. With `take`, the
// element picked leaves the pool too.
template <typename Eligible>
std::optional<std::size_t> pick(Rng& rng, std::vector<std::size_t>& pool, Eligible eligible,
                                bool take = false) {
  while (!pool.empty()) {
    const std::size_t i = rng.below(pool.size());
    const std::size_t value = pool[i];
    const bool ok = eligible(value);
    if (ok && !take) return value;
    pool[i] = pool.back();
    pool.pop_back();
    if (ok) return value;
  }
  return std::nullopt;
}

inline std::string numbered(std::string_view prefix, std::uint64_t n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(n));
  return std::string(prefix) + buf;
}

inline std::int64_t pow10(int n) {
  std::int64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}


}  // namespace fundledger::generator
