#include "ledger/view_as_of.h"

#include "audit/audited_view.h"
#include "domain/event.h"
#include "domain/formats.h"
#include "domain/schema.h"
#include "ledger/replay.h"
#include "ledger/snapshots.h"
#include "ledger/tree.h"

namespace fundledger {

Result<nlohmann::json> as_of_block(const StoreReader& reader, std::uint64_t seq) {
  Result<LogHead> head = log_head(reader, seq);
  if (!head) return head.status();
  return log_head_json(*head);
}

namespace {

// Each entry of a proposal's trail, {"seq","type"}, gets its event's
// actor, recorded_at and data, read from the log.
Status add_trail_events(const StoreReader& reader, nlohmann::json& trail) {
  for (nlohmann::json& entry : trail) {
    const std::uint64_t seq = entry["seq"];
    Result<std::optional<std::string>> bytes = reader.event(seq);
    if (!bytes) return bytes.status();
    Result<Event> event = *bytes ? decode_event(**bytes) : Result<Event>(unreadable_event(seq));
    if (!event) return unreadable_event(seq);
    entry["actor"] = event->actor;
    entry["recorded_at"] = event->recorded_at;
    nlohmann::json data = nlohmann::json::object();
    for (const DataField& f : event->data.fields()) {
      data[std::string(f.name)] = f.is_list ? nlohmann::json(f.list) : nlohmann::json(f.value);
    }
    entry["data"] = std::move(data);
  }
  return Status::ok();
}

// Events 1 to `last` in seq order, each as its envelope and data, read
// by their shape without decoding them whole (the log's bytes were checked
// as they were written; verify checks them again): a view as of a day and
// a statement look at every event and apply a part of them.
using StoredEvent = std::function<Status(const Envelope& e, const DataView& data)>;
Status for_each_stored(const StoreReader& reader, std::uint64_t last, const StoredEvent& each,
                       const ProgressFn& progress = nullptr) {
  const auto cursor = reader.cursor(Family::kEvents, seq_key(1));
  for (std::uint64_t seq = 1; seq <= last; ++seq, cursor->next()) {
    std::optional<Envelope> e;
    std::optional<DataView> data;
    if (cursor->valid() && cursor->key() == seq_key(seq)) e = read_envelope(cursor->value());
    if (e && e->seq == seq) data = DataView::parse(e->data);
    if (!data) {
      if (!cursor->status()) return cursor->status();
      return unreadable_event(seq);
    }
    FL_RETURN_IF_ERROR(each(*e, *data));
    if (progress && seq % kProgressEvents == 0) progress(seq, last);
  }
  return Status::ok();
}

}  // namespace

Status check_as_of(std::uint64_t as_of, std::uint64_t head) {
  if (as_of <= head) return Status::ok();
  return Status::error(Code::kInvalidAsOf,
                       "as_of " + std::to_string(as_of) + " is beyond the log, which holds " + std::to_string(head) +
                           " events",
                       "as_of");
}

Result<nlohmann::json> view_as_of(std::shared_ptr<const StoreReader> reader, ViewKind kind,
                                  std::string_view id, std::optional<std::uint64_t> as_of) {
  const std::uint64_t seq = as_of.value_or(reader->head().size);
  FL_RETURN_IF_ERROR(check_as_of(seq, reader->head().size));
  Result<std::unique_ptr<FundState>> state = state_as_of(reader, seq);
  if (!state) return state.status();
  Result<nlohmann::json> view = render_view(**state, kind, id);
  FL_RETURN_IF_ERROR((*state)->source_status());
  if (!view) return view.status();
  if (kind == ViewKind::kProposal) FL_RETURN_IF_ERROR(add_trail_events(*reader, (*view)["trail"]));
  Result<nlohmann::json> block = as_of_block(*reader, seq);
  if (!block) return block.status();
  return nlohmann::json{{"as_of", std::move(*block)}, {"view", std::move(*view)}};
}

Result<nlohmann::json> view_as_of_date(std::shared_ptr<const StoreReader> reader, ViewKind kind,
                                       std::string_view id, std::optional<std::uint64_t> as_of,
                                       std::string_view day) {
  const std::uint64_t seq = as_of.value_or(reader->head().size);
  FL_RETURN_IF_ERROR(check_as_of(seq, reader->head().size));
  if (!is_business_date(day)) {
    return Status::error(Code::kInvalidDate, "as_of_date " + std::string(day) + " is not a date YYYY-MM-DD",
                         "as_of_date");
  }
  FundState state;
  state.accept_any_sums();
  FL_RETURN_IF_ERROR(for_each_stored(*reader, seq, [&](const Envelope& e, const DataView& data) {
    if (!in_view_of_day(e.type, business_date(e.type, data, e.recorded_at), day)) return Status::ok();
    FL_RETURN_IF_ERROR(rests_on_present(state, e.seq, e.type, data));
    state.set_seq(e.seq - 1);
    state.apply(e.type, data, e.seq, e.actor);
    return Status::ok();
  }));
  Result<nlohmann::json> view = render_view(state, kind, id, ViewDetail::kFull, day);
  if (!view) return view.status();
  if (kind == ViewKind::kProposal) FL_RETURN_IF_ERROR(add_trail_events(*reader, (*view)["trail"]));
  Result<nlohmann::json> block = as_of_block(*reader, seq);
  if (!block) return block.status();
  (*block)["date"] = day;
  return nlohmann::json{{"as_of", std::move(*block)}, {"view", std::move(*view)}};
}

Result<nlohmann::json> statement_as_of(const StoreReader& reader, const Period& period,
                                       std::optional<std::uint64_t> as_of,
                                       std::optional<std::uint64_t> recorded_after, const ProgressFn& progress) {
  const std::uint64_t seq = as_of.value_or(reader.head().size);
  FL_RETURN_IF_ERROR(check_as_of(seq, reader.head().size));
  if (recorded_after && *recorded_after > seq) {
    return Status::error(Code::kInvalidAsOf,
                         "recorded_after " + std::to_string(*recorded_after) + " is beyond as_of " +
                             std::to_string(seq),
                         "recorded_after");
  }
  StatementBuilder builder(period, recorded_after);
  FL_RETURN_IF_ERROR(for_each_stored(
      reader, seq,
      [&](const Envelope& e, const DataView& data) { return builder.add(e.seq, e.type, data, e.id, e.recorded_at); },
      progress));
  Result<nlohmann::json> block = as_of_block(reader, seq);
  if (!block) return block.status();
  return nlohmann::json{{"as_of", std::move(*block)}, {"view", builder.render()}};
}

}  // namespace fundledger
