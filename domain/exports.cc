#include "domain/exports.h"

#include "domain/export_output.h"
#include "util/check.h"

namespace fundledger {

namespace exports {

std::string_view field(const Event& e, std::string_view name) {
  const std::string* v = e.data.get(name);
  return v != nullptr ? std::string_view(*v) : std::string_view();
}

}  // namespace exports

Exporter::Exporter(ExportFormat format, IatiPublisher publisher)
    : output_(format == ExportFormat::kCsv ? exports::csv_output() : exports::iati_output(std::move(publisher))) {}
Exporter::~Exporter() = default;
Exporter::Exporter(Exporter&&) noexcept = default;
Exporter& Exporter::operator=(Exporter&&) noexcept = default;

void redact_for_public(Event& event) {
  event.actor.clear();
  for (std::string_view field : {"reason", "focal_point", "name", "token", "donor"}) {
    const bool personal = field == "reason" || field == "focal_point" || is_access_event(event.type);
    if (personal && event.data.has(field)) event.data.set(field, "");
  }
}

void Exporter::add(const Event& event) {
  FL_CHECK(event.seq == size_ + 1);
  size_ = event.seq;
  output_->add(event);
}

std::vector<ExportFile> Exporter::files() {
  FL_CHECK(output_);
  std::vector<ExportFile> out = output_->finish();
  output_.reset();
  return out;
}

}  // namespace fundledger
