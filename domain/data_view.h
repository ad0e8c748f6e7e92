#pragma once
// Read access to an event's data by field name, the same for an event the
// writer is about to append (a Draft's EventData) and for one read back from
// the log (its canonical bytes). The rules and the projections read events
// through it, so that replaying the log needs no tree of JSON values.

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "domain/event.h"

namespace fundledger {

class DataView {
 public:
  // The fields of `data`, which must outlive the view.
  static DataView of(const EventData& data);
  // The fields of a canonical data object (`Envelope::data` of stored
  // bytes, which must outlive the view). nullopt when `object` is not a
  // flat canonical object of strings and one list of strings.
  static std::optional<DataView> parse(std::string_view object);

  // The string field `name`, "" when absent.
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const;
  // The `regions` list: whether it is there, how long, each entry.
  bool has_regions() const { return has_regions_; }
  std::size_t region_count() const { return region_count_; }
  std::string_view region(std::size_t i) const { return regions_[i]; }

 private:
  static constexpr std::size_t kFieldsMax = 16;
  std::array<std::string_view, kFieldsMax> names_;
  std::array<std::string_view, kFieldsMax> values_;
  std::size_t size_ = 0;
  std::array<std::string_view, kRegions.size()> regions_;
  std::size_t region_count_ = 0;
  bool has_regions_ = false;
  // Values that held escapes, unescaped; sized once, so views into it hold.
  std::shared_ptr<std::string> unescaped_;
};

}  // namespace fundledger
