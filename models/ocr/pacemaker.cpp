#include "models/ocr/pacemaker.hpp"

#include <algorithm>
#include <optional>

#include "models/ocr/leader.hpp"

namespace models::ocr {
namespace {
// The k-th highest of the values above `floor` (libocr sortedGreaterThan(xs, floor)[len - k]) when there are at least
// k of them. `scratch` is reused (no allocation per message); a partial selection gives the element the sort would.
std::optional<Epoch> kth_highest_above(const std::vector<Epoch>& xs, Epoch floor, std::size_t k,
                                       std::vector<Epoch>& scratch) {
  scratch.clear();
  for (Epoch x : xs) {
    if (x > floor) scratch.push_back(x);
  }
  if (k == 0 || scratch.size() < k) return std::nullopt;
  const auto at = scratch.end() - static_cast<std::ptrdiff_t>(k);
  std::nth_element(scratch.begin(), at, scratch.end());
  return *at;
}
}  // namespace

Pacemaker::Pacemaker(const OcrConfig& cfg, OracleId /*self*/)
    : cfg_(&cfg), newepoch_(static_cast<std::size_t>(cfg.n), 0) {
  leader_ = leader(e_, cfg_->n, cfg_->leader_key);
}

PacemakerOutput Pacemaker::start(Epoch ne_floor) {
  PacemakerOutput out;
  e_ = 1;
  leader_ = leader(e_, cfg_->n, cfg_->leader_key);
  ne_ = std::max(ne_, ne_floor);
  out.started_epoch = e_;
  out.arm_progress = true;
  send_newepoch(ne_, out);
  return out;
}

PacemakerOutput Pacemaker::resume() {
  PacemakerOutput out;
  out.started_epoch = e_;
  out.arm_progress = true;
  send_newepoch(ne_, out);
  return out;
}

void Pacemaker::send_newepoch(Epoch epoch, PacemakerOutput& out) {
  out.broadcast_newepoch = epoch;
  ne_ = epoch;
  out.arm_resend = true;
}

PacemakerOutput Pacemaker::on_resend_timeout() {
  PacemakerOutput out;
  send_newepoch(ne_, out);
  return out;
}

PacemakerOutput Pacemaker::on_progress() {
  PacemakerOutput out;
  out.arm_progress = true;
  return out;
}

PacemakerOutput Pacemaker::on_progress_timeout() { return on_change_leader(); }

PacemakerOutput Pacemaker::on_change_leader() {
  PacemakerOutput out;
  out.cancel_progress = true;
  if (e_ + 1 <= e_) return out;  // epoch overflow: cannot change leader
  send_newepoch(std::max(ne_, e_ + 1), out);
  return out;
}

PacemakerOutput Pacemaker::on_newepoch(OracleId sender, Epoch epoch) {
  PacemakerOutput out;
  if (sender < 0 || sender >= cfg_->n) return out;
  auto& heard = newepoch_[static_cast<std::size_t>(sender)];
  if (!(heard < epoch)) return out;
  heard = epoch;

  // More than f oracles want an epoch above ne: join the (f+1)-th highest (at least one honest oracle wants it).
  if (const auto join = kth_highest_above(newepoch_, ne_, static_cast<std::size_t>(cfg_->f + 1), scratch_))
    send_newepoch(*join, out);
  // More than 2f oracles want an epoch above e: move to the (2f+1)-th highest.
  if (const auto next = kth_highest_above(newepoch_, e_, static_cast<std::size_t>(2 * cfg_->f + 1), scratch_)) {
    e_ = *next;
    leader_ = leader(e_, cfg_->n, cfg_->leader_key);
    ne_ = std::max(ne_, e_);
    out.started_epoch = e_;
    out.arm_progress = true;
    out.cancel_progress = false;
  }
  return out;
}

}  // namespace models::ocr
