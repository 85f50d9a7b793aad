#include "models/ocr/ocr_feed.hpp"

#include "models/ocr/should_report.hpp"
#include "sim/hash.hpp"

namespace models::ocr {

OcrFeed::OcrFeed(sim::Simulation& sim, sim::Network& net, const OcrConfig& cfg, std::vector<OcrOracleSpec> oracles,
                 OcrChainPort& chain, std::uint64_t key_seed, OcrNode::Observe truth)
    : sim_(sim), cfg_(cfg), chain_(chain), truth_(std::move(truth)), peers_(sim, net, cfg.version),
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
    if (oracles[i].observe_async) node->set_observe_async(std::move(oracles[i].observe_async));
    peers_.add(id, host, [node](OracleId from, const Message& m) { node->receive(from, m); },
               [node](OracleId from, Epoch epoch) { return node->ignores_newepoch(from, epoch); });
  }
  auto colluders = [this] {
    std::vector<OracleId> out;
    for (const auto& n : nodes_) {
      if (n->control().byzantine() == "collude") out.push_back(n->id());
    }
    return out;
  };
  for (auto& n : nodes_) n->set_colluders(colluders);
}

void OcrFeed::register_actors(faults::ActorDirectory& directory) {
  for (auto& n : nodes_) directory.add(n->control());
}

void OcrFeed::start() {
  for (auto& n : nodes_) n->start();
  if (truth_) sampler_.arm(cfg_.delta_round);
}

void OcrFeed::sample_truth() {
  if (auto v = truth_(sim_.now())) reference_due.emit(sim_.now(), should_report(cfg_, *v, chain_.read_contract(), sim_.now()).report());
  sampler_.arm(cfg_.delta_round);
}

void OcrFeed::on_accepted(EpochRound er, Value answer, sim::Time t) { accepted.emit(er, answer, t); }

std::vector<Address> OcrFeed::signer_addresses() const {
  std::vector<Address> out;
  for (const auto& k : onchain_) out.push_back(k.address());
  return out;
}

}  // namespace models::ocr
