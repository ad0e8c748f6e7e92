#pragma once
// Realistic event streams: donors who pledge in their own currencies and pay
// in instalments, calls for proposals, proposals from the five regions, Board
// decisions, grants paid in tranches, the occasional refund, release and
// write-off. Every event is valid under every rule of SPEC section 2 given
// the events before it, and the stream is the same for the same seed on any
// machine (the generator uses its own integer arithmetic and random numbers,
// never the standard library's distributions).

#include <cstdint>
#include <memory>
#include <string>

namespace fundledger {

struct GeneratorOptions {
  std::uint64_t seed = 1;
  // The business date of the first events; later ones advance about four
  // minutes an event, so ten million events span some seventy-six years.
  std::string start_date = "2014-01-01";
};

class Generator {
 public:
  explicit Generator(const GeneratorOptions& options = {});
  ~Generator();
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // The next event, as the client sends it: one line of canonical JSON
  // {"data":{...},"id":"...","type":"..."}, without a newline.
  std::string next();
  // Events made so far.
  std::uint64_t count() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fundledger
