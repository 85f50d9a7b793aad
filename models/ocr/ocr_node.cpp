#include "models/ocr/ocr_node.hpp"

#include <algorithm>
#include <cmath>

namespace models::ocr {

void register_ocr_behaviours(faults::FaultKindRegistry& registry) {
  using faults::ParamType;
  registry.add_behaviour({.model = kOcrNodeModel, .name = "lie",
                          .params = {{"offset", ParamType::number, true, "relative change of every observation, e.g. 0.05"}},
                          .validate = {},
                          .doc = "every observation it sends is value x (1 + offset); as leader it is otherwise honest"});
  registry.add_behaviour({.model = kOcrNodeModel, .name = "withhold", .params = {}, .validate = {},
                          .doc = "sends no observation and no report signature (OCR2: no signed report or skip); as "
                                 "leader it still drives rounds"});
  registry.add_behaviour({.model = kOcrNodeModel, .name = "equivocate", .params = {}, .validate = {},
                          .doc = "as leader with more than 2f+1 observations, sends half the followers a report-req "
                                 "without the highest observation, splitting their signatures"});
  registry.add_behaviour({.model = kOcrNodeModel, .name = "newepoch_spam",
                          .params = {{"jump", ParamType::number, false, "epochs added per spam message (default 1000)"}},
                          .validate = {},
                          .doc = "each newepoch it sends announces an epoch jump x k ahead (k = 1, 2, ...); more than f "
                                 "spammers make honest pacemakers follow"});
  registry.add_behaviour({.model = kOcrNodeModel, .name = "collude",
                          .params = {{"offset", ParamType::number, true, "relative change of the colluders' common value"}},
                          .validate = {},
                          .doc = "observes value x (1 + offset) like lie; as leader it builds its report-req from every "
                                 "colluder's observation plus just enough honest ones for 2f+1, so f+1 colluders move "
                                 "the median outside the honest range"});
}

OcrNode::OcrNode(sim::Simulation& sim, OcrPeers& peers, const OcrConfig& cfg, OracleId id,
                 const OracleDirectory& directory, const SecretKey& offchain_key, const SecretKey& onchain_key,
                 OcrChainPort& chain, Observe observe, std::string name)
    : sim_(sim), peers_(&peers), id_(id), control_(std::move(name), kOcrNodeModel), cfg_(&cfg), directory_(&directory),
      offchain_key_(offchain_key), onchain_key_(onchain_key), chain_(chain), observe_(std::move(observe)),
      pace_(cfg, id), tq_(cfg, id),
      progress_timer_(sim, [this] { if (control_.admit()) apply(pace_.on_progress_timeout()); }, "ocr/progress"),
      resend_timer_(sim, [this] { if (control_.admit()) apply(pace_.on_resend_timeout()); }, "ocr/resend"),
      round_timer_(sim, [this] { if (control_.admit() && rg_) apply(rg_->on_round_timeout()); }, "ocr/round"),
      grace_timer_(sim, [this] { if (control_.admit() && rg_) apply(rg_->on_grace_timeout()); }, "ocr/grace"),
      transmit_timer_(sim, [this] { if (control_.admit()) on_transmit_timer(); }, "ocr/transmit") {
  control_.on_crash = [this] {
    close_instance();
    if (active_) peers_->set_listening(id_, false);
  };
  control_.on_restart = [this] {
    if (!active_) return;
    peers_->set_listening(id_, true);
    if (!started_) {  // the configuration changed while it was down: the new instance starts now
      start();
      return;
    }
    tq_.on_restart();
    apply(pace_.resume());
    arm_transmit_timer();
  };
}

void OcrNode::start() {
  started_ = true;
  apply(pace_.start());
}

void OcrNode::close_instance() {
  ++generation_;
  progress_timer_.cancel();
  resend_timer_.cancel();
  round_timer_.cancel();
  grace_timer_.cancel();
  transmit_timer_.cancel();
  rg_.reset();
  finalized_.clear();
  finalized_floor_ = {};
}

void OcrNode::reconfigure(const OcrConfig& cfg, OracleId id, OcrPeers& peers, const OracleDirectory& directory) {
  close_instance();
  cfg_ = &cfg;
  id_ = id;
  peers_ = &peers;
  directory_ = &directory;
  pace_ = Pacemaker(*cfg_, id_);
  tq_ = TransmissionQueue(*cfg_, id_);  // pending transmissions of the old configuration are gone
  spam_count_ = 0;
  active_ = true;
  started_ = false;
  peers_->set_listening(id_, control_.up());  // its fresh pacemaker heard nothing yet, as the new peers' table says
  if (control_.up()) start();
}

void OcrNode::retire() {
  close_instance();
  if (active_) peers_->set_listening(id_, false);
  active_ = false;
  started_ = false;
}

double OcrNode::param(const char* key, double fallback) const {
  const auto& p = control_.byzantine_params();
  auto it = p.find(key);
  if (it == p.end()) return fallback;
  if (const double* d = std::get_if<double>(&it->second)) return *d;
  return fallback;
}

void OcrNode::apply(const PacemakerOutput& out) {
  if (out.broadcast_newepoch) {
    Epoch e = *out.broadcast_newepoch;
    if (control_.byzantine() == "newepoch_spam") {
      e = pace_.ne() + static_cast<Epoch>(param("jump", 1000.0)) * static_cast<Epoch>(++spam_count_);
      control_.byzantine_acted();
    }
    send({kBroadcast, NewEpochMsg{e}});
  }
  if (out.arm_resend) resend_timer_.arm(cfg_->delta_resend);
  if (out.cancel_progress) progress_timer_.cancel();
  if (out.arm_progress) progress_timer_.arm(cfg_->delta_progress);
  if (out.started_epoch) start_epoch(*out.started_epoch);
}

void OcrNode::start_epoch(Epoch e) {
  round_timer_.cancel();
  grace_timer_.cancel();
  rg_ = std::make_unique<ReportGeneration>(*cfg_, id_, e, pace_.current_leader(), *directory_, offchain_key_, onchain_key_);
  epoch_started.emit(id_, e, pace_.current_leader());
  apply(rg_->start());
}

void OcrNode::send(Outgoing out) {
  const std::string& b = control_.byzantine();
  if (b == "withhold" && (std::holds_alternative<ObserveMsg>(out.message) || std::holds_alternative<ReportMsg>(out.message))) {
    control_.byzantine_acted();
    return;
  }
  if (b == "equivocate" && std::holds_alternative<ReportReqMsg>(out.message) && out.to == kBroadcast) {
    const auto& req = std::get<ReportReqMsg>(out.message);
    if (static_cast<int>(req.observations.size()) > 2 * cfg_->f + 1) {
      ReportReqMsg other = req;
      other.observations.pop_back();
      for (OracleId to = 0; to < peers_->size(); ++to) peers_->send(id_, {to, to % 2 == 1 ? Message{other} : Message{req}});
      control_.byzantine_acted();
      return;
    }
  }
  peers_->send(id_, std::move(out));
}

std::optional<Value> OcrNode::observation() { return distort(observe_(now())); }

std::optional<Value> OcrNode::distort(std::optional<Value> v) {
  if (!v) return v;
  const std::string& b = control_.byzantine();
  if (b == "lie" || b == "collude") {
    control_.byzantine_acted();
    return chain::round_signed(static_cast<double>(*v) * (1.0 + param("offset", 0.0)));
  }
  return v;
}

void OcrNode::collude_report_req(RepGenOutput& out) {
  if (control_.byzantine() != "collude" || !colluders_) return;
  for (auto& o : out.send) {
    auto* req = std::get_if<ReportReqMsg>(&o.message);
    if (req == nullptr) continue;
    const auto friends = colluders_();
    auto is_friend = [&](OracleId i) { return std::find(friends.begin(), friends.end(), i) != friends.end(); };
    std::vector<AttributedSignedObservation> chosen, honest;
    for (const auto& a : req->observations) (is_friend(a.observer) ? chosen : honest).push_back(a);
    const auto quorum = static_cast<std::size_t>(2 * cfg_->f + 1);
    for (const auto& a : honest) {
      if (chosen.size() >= quorum) break;
      chosen.push_back(a);
    }
    std::sort(chosen.begin(), chosen.end(), [](const auto& x, const auto& y) {
      return x.observation.value != y.observation.value ? x.observation.value < y.observation.value : x.observer < y.observer;
    });
    if (chosen == req->observations) continue;
    control_.byzantine_acted();
    req->observations = std::move(chosen);
    rg_->report_req_rewritten(*req);
  }
}

void OcrNode::apply(RepGenOutput out) {
  if (out.observe_req_sent) round_started.emit(id_, EpochRound{rg_->epoch(), *out.observe_req_sent});
  if (out.decision) decided.emit(id_, *out.decision);
  collude_report_req(out);
  for (auto& m : out.send) send(std::move(m));
  if (out.arm_round_timer) round_timer_.arm(*out.arm_round_timer);
  if (out.arm_grace_timer) grace_timer_.arm(*out.arm_grace_timer);
  if (out.transmit && cfg_->version == OcrVersion::ocr2) {
    finalize(*out.transmit);
  } else if (out.transmit) {
    report_final.emit(id_, out.transmit->epoch_round());
    if (tq_.on_transmit_event(*out.transmit, chain_.read_contract(), sim_.now())) arm_transmit_timer();
  }
  if (out.progress) apply(pace_.on_progress());
  if (out.change_leader) apply(pace_.on_change_leader());
}

void OcrNode::receive(OracleId from, const Message& m) {
  if (!active_ || !control_.admit()) return;
  if (const auto* ne = std::get_if<NewEpochMsg>(&m)) {
    const PacemakerOutput out = pace_.on_newepoch(from, ne->epoch);
    if (from >= 0 && from < cfg_->n) peers_->set_heard(id_, from, pace_.heard()[static_cast<std::size_t>(from)]);
    apply(out);  // before anything it sends asks the peers what this node heard
    return;
  }
  if (const auto* fe = std::get_if<FinalEchoMsg>(&m); fe != nullptr && cfg_->version == OcrVersion::ocr2) {
    // OCR2 finalization runs across epochs: one valid echo of any (epoch, round) finalizes it here too.
    const FinalMsg& fin = fe->final;
    const EpochRound er{fin.epoch, fin.round};
    if (fin.round <= cfg_->r_max && er > finalized_floor_ && !finalized_.count(er) &&
        ReportGeneration::verify_final_ocr2(*cfg_, *directory_, er, fin.report))
      finalize(TransmitEvent{fin.epoch, fin.round, fin.report});
    return;
  }
  if (!rg_) return;
  if (const auto* x = std::get_if<ObserveReqMsg>(&m)) {
    std::optional<Value> v;
    // Only a request that opens a new round of this epoch from its leader gets an observation.
    const bool opens = x->epoch == rg_->epoch() && from == rg_->leader() && x->round > rg_->follower_round() &&
                       x->round <= cfg_->r_max;
    if (opens && observe_async_) {
      // Ask the data source now; the observation goes to the leader when it answers, if the round is still on.
      apply(rg_->on_observe_req(from, *x, std::nullopt));
      const EpochRound er{x->epoch, x->round};
      observe_async_([this, er, gen = generation_](std::optional<Value> got) {
        if (gen != generation_ || !control_.admit() || !rg_) return;
        const std::optional<Value> value = distort(got);
        if (!value) return;
        observed.emit(id_, er, *value, honest());
        apply(rg_->on_observation_ready(er.epoch, er.round, *value, now()));
      });
      return;
    }
    if (opens) {
      v = observation();
      if (v) observed.emit(id_, EpochRound{x->epoch, x->round}, *v, honest());
    }
    apply(rg_->on_observe_req(from, *x, v, now()));
  } else if (const auto* o = std::get_if<ObserveMsg>(&m)) {
    apply(rg_->on_observe(from, *o));
  } else if (const auto* rr = std::get_if<ReportReqMsg>(&m)) {
    apply(rg_->on_report_req(from, *rr, chain_.read_contract(), now()));
  } else if (const auto* r = std::get_if<ReportMsg>(&m)) {
    apply(rg_->on_report(from, *r));
  } else if (const auto* f = std::get_if<FinalMsg>(&m)) {
    apply(rg_->on_final(from, *f));
  } else if (const auto* fe = std::get_if<FinalEchoMsg>(&m)) {
    apply(rg_->on_final_echo(from, *fe));
  }
}

void OcrNode::finalize(const TransmitEvent& ev) {
  const EpochRound er = ev.epoch_round();
  if (er <= finalized_floor_ || !finalized_.insert(er).second) return;
  if (finalized_.size() > kFinalizedKept) {
    finalized_floor_ = *finalized_.begin();
    finalized_.erase(finalized_.begin());
    if (er <= finalized_floor_) return;  // older than every (epoch, round) kept: already expired
  }
  send({kBroadcast, FinalEchoMsg{FinalMsg{ev.epoch, ev.round, ev.report}}});
  report_final.emit(id_, er);
  if (tq_.on_transmit_event(ev, chain_.read_contract(), sim_.now())) arm_transmit_timer();
}

void OcrNode::arm_transmit_timer() {
  if (auto due = tq_.next_due()) transmit_timer_.arm_at(std::max(*due, sim_.now()));
}

void OcrNode::on_transmit_timer() {
  auto fired = tq_.on_timer(chain_.read_contract(), sim_.now());
  if (fired.send) {
    chain_.transmit(id_, *fired.send);
    transmitted.emit(id_, fired.send->epoch_round());
  } else if (fired.dropped_stale) {
    dropped_stale.emit(id_, fired.epoch_round);  // the staged fallback saved a transaction
  }
  arm_transmit_timer();
}

}  // namespace models::ocr
