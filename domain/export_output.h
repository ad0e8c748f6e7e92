#pragma once
// What the two renderings of domain/exports.h share, private to
// domain/exports.cc, csv_export.cc and iati_export.cc: each takes the
// events in seq order and renders its files at the end.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/event.h"
#include "domain/exports.h"

namespace fundledger::exports {

// A string field of the event's data, "" when absent.
std::string_view field(const Event& e, std::string_view name);

// One format's files, rendered as the events are added.
class Output {
 public:
  virtual ~Output() = default;
  virtual void add(const Event& e) = 0;
  // The files; called once, the output spent after.
  virtual std::vector<ExportFile> finish() = 0;
};

std::unique_ptr<Output> csv_output();
std::unique_ptr<Output> iati_output(IatiPublisher publisher);

}  // namespace fundledger::exports
