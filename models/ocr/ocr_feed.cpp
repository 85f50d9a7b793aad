#include "models/ocr/ocr_feed.hpp"

#include <algorithm>

#include "models/ocr/should_report.hpp"
#include "sim/hash.hpp"

namespace models::ocr {

OcrFeed::OcrFeed(sim::Simulation& sim, sim::Network& net, const OcrConfig& cfg, std::vector<OcrOracleSpec> oracles,
                 OcrChainPort& chain, std::uint64_t key_seed, OcrNode::Observe truth)
    : sim_(sim), cfg_(cfg), chain_(chain), truth_(std::move(truth)), peers_(sim, net),
      sampler_(sim, [this] { sample_truth(); }, "ocr/liveness-sample") {
  for (const auto& o : oracles) {
    const std::uint64_t h = sim::hash_combine(key_seed, sim::fnv1a64(o.name));
    offchain_.emplace_back(sim::hash_combine(h, 1));
    onchain_.emplace_back(sim::hash_combine(h, 2));
    directory_.add_oracle(offchain_.back(), onchain_.back());
  }
  for (std::size_t i = 0; i < oracles.size(); ++i) {
    const auto id = static_cast<OracleId>(i);
    const sim::HostId host = net.add_host(oracles[i].name, oracles[i].region);
    nodes_.push_back(std::make_unique<OcrNode>(sim, peers_, cfg_, id, directory_, offchain_[i], onchain_[i], chain_,
                                               std::move(oracles[i].observe), oracles[i].name));
    OcrNode* node = nodes_.back().get();
    peers_.add(id, host, [node](OracleId from, const Message& m) { node->receive(from, m); });
  }
  auto colluders = [this] {
    std::vector<OracleId> out;
    for (const auto& n : nodes_) {
      if (n->control().byzantine() == "collude") out.push_back(n->id());
    }
    return out;
  };
  for (auto& n : nodes_) {
    OcrNode* node = n.get();
    node->set_colluders(colluders);
    connections_.push_back(node->epoch_started.connect([this](OracleId, Epoch e, OracleId) { epochs_seen_[e] = true; }));
    connections_.push_back(node->round_started.connect([this](OracleId, EpochRound er) {
      ++rounds_;
      round_start_.try_emplace(er.packed(), sim_.now());
    }));
    connections_.push_back(node->observed.connect([this](OracleId, EpochRound er, Value v, bool honest) {
      if (honest) safety_.on_honest_observation(er, v);
    }));
    connections_.push_back(node->decided.connect([this, node](OracleId, const ShouldReportDecision& d) {
      if (node->honest()) liveness_.on_due(sim_.now(), d.report());
    }));
    connections_.push_back(node->transmitted.connect([this](OracleId, EpochRound) { ++transmissions_; }));
    connections_.push_back(node->dropped_stale.connect([this](OracleId, EpochRound) { ++dropped_; }));
  }
}

void OcrFeed::register_actors(faults::ActorDirectory& directory) {
  for (auto& n : nodes_) directory.add(n->control());
}

void OcrFeed::start() {
  for (auto& n : nodes_) n->start();
  if (truth_) sampler_.arm(cfg_.delta_round);
}

void OcrFeed::sample_truth() {
  if (auto v = truth_(sim_.now())) {
    if (should_report(cfg_, *v, chain_.read_contract(), sim_.now()).report())
      liveness_.on_due(sim_.now(), true);
    else
      liveness_.on_resolved(sim_.now());
  }
  sampler_.arm(cfg_.delta_round);
}

void OcrFeed::on_accepted(EpochRound er, Value answer, sim::Time t) {
  ++accepted_;
  const bool violation = safety_.on_accepted(er, answer);
  liveness_.on_update(t);
  auto it = round_start_.find(er.packed());
  if (it != round_start_.end()) {
    const double s = (t - it->second).seconds();
    latency_sum_ += s;
    latency_max_ = std::max(latency_max_, s);
    ++latency_n_;
    round_latency_s.emit(er, s);
  }
  round_start_.erase(round_start_.begin(), round_start_.upper_bound(er.packed()));
  accepted.emit(er, answer, violation);
}

void OcrFeed::finish(sim::Time t) { liveness_.finish(t); }

std::vector<Address> OcrFeed::signer_addresses() const {
  std::vector<Address> out;
  for (const auto& k : onchain_) out.push_back(k.address());
  return out;
}

OcrFeedMetrics OcrFeed::metrics() const {
  OcrFeedMetrics m;
  m.safety_violations = safety_.violations();
  m.liveness_gap_s_max = liveness_.max_gap().seconds();
  m.liveness_gap_s_total = liveness_.total_gap().seconds();
  m.epochs = epochs_seen_.empty() ? 0 : epochs_seen_.rbegin()->first;
  m.leader_changes = epochs_seen_.empty() ? 0 : epochs_seen_.size() - 1;
  m.rounds = rounds_;
  m.reports_accepted = accepted_;
  m.transmissions = transmissions_;
  m.transmissions_dropped = dropped_;
  m.round_latency_s_mean = latency_n_ ? latency_sum_ / static_cast<double>(latency_n_) : 0.0;
  m.round_latency_s_max = latency_max_;
  return m;
}

}  // namespace models::ocr
