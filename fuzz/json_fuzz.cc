// The strict JSON reader (util/json.h) and the canonical check: any bytes
// are refused with a Status or read; a text the canonical check accepts is
// exactly what the canonical writer makes of its value.

#include "fuzz/fuzz_support.h"
#include "util/canonical.h"
#include "util/json.h"

using namespace fundledger;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::text_of(data, size);
  const JsonLimits limits{.depth_max = 16, .string_bytes_max = 256};
  Result<JsonDoc> doc = parse_json_doc(text, limits);
  Result<nlohmann::json> tree = parse_json(text, limits);
  fuzz::require(doc.is_ok() == tree.is_ok(), "the document and the tree reader agree");
  if (doc) fuzz::require(to_nlohmann(*doc) == *tree, "the document reads as the tree");
  std::vector<TopLevelScalar> top;
  const Status canonical = check_canonical(text, limits, &top);
  if (canonical) {
    fuzz::require(tree.is_ok(), "canonical text is JSON");
    fuzz::require(canonical_json(*tree) == text, "canonical text is what the canonical writer writes");
  }
  fuzz::require(is_valid_utf8(text) || !tree.is_ok(), "JSON read is valid UTF-8");
  return 0;
}
