#include "models/request/request_log_tracker.hpp"

#include <algorithm>
#include <tuple>

namespace models::request {

void RequestLogTracker::on_log(const contracts::OracleRequestEvent& ev, std::uint64_t block) {
  auto [it, fresh] = entries_.try_emplace(ev.request_id);
  Entry& e = it->second;
  if (fresh) {
    e.ev = ev;
    e.seq = next_seq_++;
  }
  if (e.started) return;
  e.ev = ev;  // a re-inclusion may carry another expiration
  e.block = block;
}

void RequestLogTracker::on_reorg(std::uint64_t common_ancestor) {
  for (auto& [id, e] : entries_)
    if (!e.started && e.block > common_ancestor) e.block = 0;
}

std::vector<contracts::OracleRequestEvent> RequestLogTracker::take_ready(std::uint64_t head) {
  std::vector<Entry*> ready;
  for (auto& [id, e] : entries_)
    if (!e.started && e.block != 0 && head + 1 >= e.block + min_confs_) ready.push_back(&e);
  std::sort(ready.begin(), ready.end(),
            [](const Entry* a, const Entry* b) { return std::tie(a->block, a->seq) < std::tie(b->block, b->seq); });
  std::vector<contracts::OracleRequestEvent> out;
  out.reserve(ready.size());
  for (Entry* e : ready) {
    e->started = true;
    out.push_back(e->ev);
  }
  return out;
}

bool RequestLogTracker::started(contracts::RequestId id) const {
  const auto it = entries_.find(id);
  return it != entries_.end() && it->second.started;
}

bool RequestLogTracker::waiting(contracts::RequestId id) const {
  const auto it = entries_.find(id);
  return it != entries_.end() && !it->second.started && it->second.block != 0;
}

}  // namespace models::request
