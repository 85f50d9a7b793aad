#include "models/ocr/ocr_feed.hpp"

#include <algorithm>
#include <stdexcept>

#include "models/ocr/should_report.hpp"
#include "sim/hash.hpp"

namespace models::ocr {

OcrFeed::OcrFeed(sim::Simulation& sim, sim::Network& net, const OcrConfig& cfg, std::vector<OcrOracleSpec> oracles,
                 OcrChainPort& chain, std::uint64_t key_seed, OcrNode::Observe truth)
    : sim_(sim), net_(net), cfg_(cfg), chain_(chain), truth_(std::move(truth)),
      sampler_(sim, [this] { sample_truth(); }, "ocr/liveness-sample") {
  if (cfg.n < 0 || static_cast<std::size_t>(cfg.n) > oracles.size())
    throw std::invalid_argument("OcrFeed: the configuration has more oracles than the members given");
  for (const auto& o : oracles) {
    const std::uint64_t h = sim::hash_combine(key_seed, sim::fnv1a64(o.name));
    offchain_.emplace_back(sim::hash_combine(h, 1));
    onchain_.emplace_back(sim::hash_combine(h, 2));
    all_keys_.add_oracle(offchain_.back(), onchain_.back());
  }
  Instance& inst = add_instance(cfg);
  for (std::size_t i = 0; i < oracles.size(); ++i) {
    hosts_.push_back(net.add_host(oracles[i].name, oracles[i].region));
    // A member of a later configuration is built as oracle 0 of the first and stays inactive until it joins.
    const bool in_first = i < static_cast<std::size_t>(cfg.n);
    members_.push_back(std::make_unique<OcrNode>(sim, *inst.peers, inst.cfg, in_first ? static_cast<OracleId>(i) : OracleId{0},
                                                 inst.directory, offchain_[i], onchain_[i], chain_,
                                                 std::move(oracles[i].observe), oracles[i].name));
    members_.back()->set_active(in_first);
    if (oracles[i].observe_async) members_.back()->set_observe_async(std::move(oracles[i].observe_async));
  }
  std::vector<int> first(static_cast<std::size_t>(cfg.n));
  for (int i = 0; i < cfg.n; ++i) first[static_cast<std::size_t>(i)] = i;
  enlist(inst, first);
  auto colluders = [this] {
    std::vector<OracleId> out;
    for (const auto& n : members_)
      if (n->active() && n->control().byzantine() == "collude") out.push_back(n->id());
    return out;
  };
  for (auto& n : members_) n->set_colluders(colluders);
}

OcrFeed::Instance& OcrFeed::add_instance(const OcrConfig& cfg) {
  if (!instances_.empty()) instances_.back()->peers->close();
  instances_.push_back(std::make_unique<Instance>());
  Instance& inst = *instances_.back();
  inst.cfg = cfg;
  inst.peers = std::make_unique<OcrPeers>(sim_, net_, cfg.version);
  return inst;
}

void OcrFeed::enlist(Instance& inst, const std::vector<int>& members) {
  inst.members = members;
  for (std::size_t j = 0; j < members.size(); ++j) {
    const auto m = static_cast<std::size_t>(members[j]);
    inst.directory.add_oracle(offchain_.at(m), onchain_.at(m));
    OcrNode* node = members_.at(m).get();
    inst.peers->add(static_cast<OracleId>(j), hosts_[m], [node](OracleId from, const Message& msg) { node->receive(from, msg); });
    // Until it joins this configuration (OcrNode::reconfigure), a member answers as it is: a node of the previous one
    // drops a newepoch that is no news (every epoch it could hear here is), one not yet active drops everything.
    inst.peers->set_listening(static_cast<OracleId>(j), node->active() && node->control().up());
  }
}

void OcrFeed::reconfigure(const OcrConfig& cfg, const std::vector<int>& members) {
  if (cfg.n != static_cast<int>(members.size()))
    throw std::invalid_argument("OcrFeed::reconfigure: cfg.n must equal the number of members");
  for (int m : members)
    if (m < 0 || m >= member_count()) throw std::invalid_argument("OcrFeed::reconfigure: no such member");
  cfg_ = cfg;
  const std::vector<int> before = current().members;
  Instance& inst = add_instance(cfg);
  enlist(inst, members);
  for (int m : before)
    if (std::find(members.begin(), members.end(), m) == members.end()) members_[static_cast<std::size_t>(m)]->retire();
  for (std::size_t j = 0; j < members.size(); ++j)
    members_[static_cast<std::size_t>(members[j])]->reconfigure(inst.cfg, static_cast<OracleId>(j), *inst.peers, inst.directory);
  reconfigured.emit(configurations() - 1);
}

void OcrFeed::register_actors(faults::ActorDirectory& directory) {
  for (auto& n : members_) directory.add(n->control());
}

void OcrFeed::start() {
  for (auto& n : members_)
    if (n->active()) n->start();
  if (truth_) sampler_.arm(cfg_.delta_round);
}

void OcrFeed::sample_truth() {
  if (auto v = truth_(sim_.now())) reference_due.emit(sim_.now(), should_report(cfg_, *v, chain_.read_contract(), sim_.now()).report());
  sampler_.arm(cfg_.delta_round);
}

void OcrFeed::on_accepted(EpochRound er, Value answer, sim::Time t) { accepted.emit(er, answer, t); }

std::vector<Address> OcrFeed::signer_addresses(const std::vector<int>& members) const {
  std::vector<Address> out;
  for (int m : members) out.push_back(onchain_.at(static_cast<std::size_t>(m)).address());
  return out;
}

}  // namespace models::ocr
