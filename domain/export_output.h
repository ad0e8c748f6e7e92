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

class CsvOutput {
 public:
  CsvOutput();
  ~CsvOutput();
  void add(const Event& e);
  std::vector<ExportFile> finish();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

class IatiOutput {
 public:
  explicit IatiOutput(IatiPublisher publisher);
  ~IatiOutput();
  void add(const Event& e);
  std::vector<ExportFile> finish() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace fundledger::exports
