#include "domain/exports.h"

#include <optional>

#include "domain/export_output.h"
#include "util/check.h"

namespace fundledger {

namespace exports {

std::string_view field(const Event& e, std::string_view name) {
  const std::string* v = e.data.get(name);
  return v != nullptr ? std::string_view(*v) : std::string_view();
}

}  // namespace exports

struct Exporter::Output {
  std::optional<exports::CsvOutput> csv;
  std::optional<exports::IatiOutput> iati;
};

Exporter::Exporter(ExportFormat format, IatiPublisher publisher) : output_(std::make_unique<Output>()) {
  if (format == ExportFormat::kCsv) {
    output_->csv.emplace();
  } else {
    output_->iati.emplace(std::move(publisher));
  }
}
Exporter::~Exporter() = default;
Exporter::Exporter(Exporter&&) noexcept = default;
Exporter& Exporter::operator=(Exporter&&) noexcept = default;

void Exporter::add(const Event& event) {
  FL_CHECK(event.seq == size_ + 1);
  size_ = event.seq;
  if (output_->csv) output_->csv->add(event);
  if (output_->iati) output_->iati->add(event);
}

std::vector<ExportFile> Exporter::files() {
  FL_CHECK(output_);
  std::vector<ExportFile> out = output_->csv ? output_->csv->finish() : output_->iati->finish();
  output_.reset();
  return out;
}

}  // namespace fundledger
