#include "util/failure.h"

namespace fundledger {

nlohmann::ordered_json failure_json(const Failure& f) {
  nlohmann::ordered_json out;
  out["ok"] = false;
  if (f.seq != 0) out["first_bad_seq"] = f.seq;
  out["check"] = code_name(f.check);
  out["message"] = f.message;
  if (!f.expected.empty()) out["expected"] = f.expected;
  if (!f.found.empty()) out["found"] = f.found;
  return out;
}

}  // namespace fundledger
