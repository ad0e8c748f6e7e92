#pragma once
// The formats of single fields (SPEC 1.1 and 1.3): identifiers, business
// dates (the calendar and timestamps are util/timestamp.h), UN regional
// groups and actors.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/timestamp.h"

namespace fundledger {

// An event's idempotency key: ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$
bool is_event_id(std::string_view s);
// A donor, pledge, call, ... id: ^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$
bool is_business_id(std::string_view s);

// A business date: YYYY-MM-DD naming a day that exists (2016-02-29 yes,
// 2015-02-29 no) between kDateYearMin and kDateYearMax.
bool is_business_date(std::string_view s);

// An event's seq written as a data field: decimal digits without leading
// zeros, from 1 to 2^63 - 1. nullopt for anything else.
std::optional<std::uint64_t> parse_seq(std::string_view s);

// The five UN regional groups, in the order views list them.
inline constexpr std::array<std::string_view, 5> kRegions = {
    "AFR", "APG", "EEG", "GRULAC", "WEOG"};
// Their names, in the same order.
inline constexpr std::array<std::string_view, 5> kRegionNames = {
    "African States", "Asia-Pacific States", "Eastern European States",
    "Latin American and Caribbean States", "Western European and other States"};
// Index of `s` in kRegions, or nullopt.
std::optional<std::size_t> region_index(std::string_view s);

// Roles of SPEC 6, and a donor's, which reads its own records. Only a
// manager appends events.
inline constexpr std::array<std::string_view, 4> kRoles = {"manager", "board", "auditor", "donor"};
// An actor: ROLE:NAME with a role of kRoles and a NAME of 1 to 64 characters
// from [A-Za-z0-9._@-], starting with a letter or digit.
bool is_actor(std::string_view s);

// `noun` after "a" or "an", as a message names it: "a donor", "an
// income", "an entry.reversed".
std::string with_article(std::string_view noun);

}  // namespace fundledger
