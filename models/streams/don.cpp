#include "models/streams/don.hpp"

#include "models/streams/don_outcome.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <utility>
#include <variant>

#include <fmt/core.h>

#include "models/ocr/leader.hpp"
#include "models/ocr/ocr_config.hpp"
#include "models/ocr/pacemaker.hpp"
#include "models/providers/price_process.hpp"
#include "sim/hash.hpp"
#include "sim/timer.hpp"

namespace models::streams {
namespace {

// Modelled wire sizes in bytes (assumption: ids, epoch/round, timestamps and values as 8-32 byte fields).
constexpr std::uint32_t kNewEpochBytes = 16;
constexpr std::uint32_t kObserveReqBytes = 32;
constexpr std::uint32_t kObservationBase = 64 + 65;  // header and the node's signature
constexpr std::uint32_t kObservationPerFeed = 24;    // value, last reported timestamp, feed index
constexpr std::uint32_t kProposalBase = 64;
constexpr std::uint32_t kReportBytes = 9 * 32;       // one v3 report, 9 words
constexpr std::uint32_t kSignatureBytes = 65;
constexpr std::uint32_t kFinalBase = 32;

}  // namespace

void register_streams_don_behaviours(faults::FaultKindRegistry& registry) {
  using faults::ParamType;
  registry.add_behaviour({.model = kStreamsNodeModel, .name = "lie",
                          .params = {{"offset", ParamType::number, true, "relative change of every observed price"}},
                          .validate = {},
                          .doc = "every feed's observed price is value x (1 + offset), as follower and as leader"});
  registry.add_behaviour({.model = kStreamsNodeModel, .name = "withhold", .params = {}, .validate = {},
                          .doc = "sends no observation and no report signatures"});
}

sim::ConfigIssues validate_don(const DonConfig& c, const std::string& path) {
  sim::ConfigIssues out;
  if (c.n < 1 || c.n > ocr::kMaxOracles) out.add(path + ".n", fmt::format("must be in 1..31 (got {})", c.n));
  if (c.f < 0) out.add(path + ".f", fmt::format("must be >= 0 (got {})", c.f));
  if (c.n <= 3 * c.f) out.add(path + ".n", fmt::format("must be > 3f = {} (got {})", 3 * c.f, c.n));
  if (c.delta_round <= sim::Duration{}) out.add(path + ".delta_round", "must be > 0");
  if (c.delta_progress <= c.delta_round) out.add(path + ".delta_progress", "must be > delta_round");
  if (c.delta_initial < sim::Duration{}) out.add(path + ".delta_initial", "must be >= 0");
  if (c.max_duration_observation <= sim::Duration{}) out.add(path + ".max_duration_observation", "must be > 0");
  if (c.r_max < 1 || c.r_max > 254) out.add(path + ".r_max", fmt::format("must be in 1..254 (got {})", c.r_max));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// One node: provider polling, pacemaker, follower and leader roles.

struct StreamsDon::Node {
  struct Quote {
    double price = 0;
    sim::Time at{};
  };
  using Observation = DonObservation;
  struct Pending {
    std::uint32_t epoch = 0;
    sim::Time created{};
    sim::Time observed_at{};
    std::vector<ReportV3> reports;
    std::vector<std::vector<ocr::Signature>> sigs;  // per report
    std::vector<int> signers;
  };

  Node(StreamsDon& don, int id, std::uint64_t key_seed)
      : don(don),
        id(id),
        control(don_node_name(id), kStreamsNodeModel),
        key(sim::hash_combine(sim::hash_combine(key_seed, sim::fnv1a64("streams/don/onchain-key")),
                              static_cast<std::uint64_t>(id))),
        pace(don.pacemaker_cfg_, id),
        poll_rng(don.sim_.stream(don_node_name(id) + "/poll")),
        poll_timer(don.sim_, [this] { if (control.admit()) poll(); }, "streams/poll"),
        progress_timer(
            don.sim_, [this] { if (control.admit()) apply(pace.on_progress_timeout()); }, "streams/progress"),
        resend_timer(don.sim_, [this] { if (control.admit()) apply(pace.on_resend_timeout()); }, "streams/resend"),
        round_timer(don.sim_, [this] { if (control.admit()) on_round_timer(); }, "streams/round"),
        deadline_timer(don.sim_, [this] { if (control.admit()) collecting = false; }, "streams/observe-deadline"),
        quotes(don.providers_.size()) {
    st.last_ts.assign(don.feeds_.size(), kNoReport);
    st.proposed_ts.assign(don.feeds_.size(), kNoReport);
    control.on_crash = [this] {
      poll_timer.cancel();
      progress_timer.cancel();
      resend_timer.cancel();
      round_timer.cancel();
      deadline_timer.cancel();
      ++generation;
      std::fill(quotes.begin(), quotes.end(), std::nullopt);
      collecting = false;
      pending.clear();
      round = 0;
      seen_round = 0;
    };
    control.on_restart = [this] {
      if (!started) return;
      arm_first_poll();
      apply(pace.resume());
    };
  }

  static ocr::OcrConfig pacemaker_config(const StreamsDon& don) {
    ocr::OcrConfig c;
    c.n = don.cfg_.n;
    c.f = don.cfg_.f;
    c.delta_progress = don.cfg_.delta_progress;
    c.delta_resend = kDeltaResend;
    c.delta_round = don.cfg_.delta_round;
    c.r_max = don.cfg_.r_max;
    c.leader_key = don.leader_key_;
    c.config_digest = don.cfg_.config_digest;
    return c;
  }

  sim::Duration local(sim::Duration d) const { return control.true_duration(d); }

  double param(const char* name, double fallback) const {
    const auto& p = control.byzantine_params();
    auto it = p.find(name);
    if (it == p.end()) return fallback;
    if (const double* d = std::get_if<double>(&it->second)) return *d;
    return fallback;
  }
  bool withholds() {
    if (control.byzantine() != "withhold") return false;
    control.byzantine_acted();
    return true;
  }

  void start() {
    started = true;
    if (!control.up()) return;  // down from the beginning: starts (resumes) when restarted
    arm_first_poll();
    apply(pace.start());
  }

  // --- observing ---

  void arm_first_poll() {
    const auto period = don.cfg_.delta_round.ns();
    const double phase = poll_rng.uniform01() * static_cast<double>(period);
    poll_timer.arm(sim::Duration::nanoseconds(static_cast<std::int64_t>(phase)));
  }

  void poll() {
    const std::uint64_t gen = generation;
    for (std::size_t p = 0; p < don.providers_.size(); ++p) {
      don.providers_[p]->query([this, p, gen](const providers::Quote& q) {
        if (!control.admit() || gen != generation || !q.ok) return;
        quotes[p] = Quote{q.price, don.sim_.now()};
      });
    }
    poll_timer.arm(local(don.cfg_.delta_round));
  }

  Observation observe() {
    Observation o;
    o.at = control.local_time(don.sim_.now());
    o.true_at = don.sim_.now();
    o.last_ts = st.last_ts;
    o.committed_seq = st.committed_seq;
    o.price.resize(don.feeds_.size());
    std::vector<double> values;
    for (std::size_t i = 0; i < don.feeds_.size(); ++i) {
      values.clear();
      for (int p : don.feed_providers_[i]) {
        const auto& q = quotes[static_cast<std::size_t>(p)];
        if (q && don.sim_.now() - q->at <= kMaxQuoteAge) values.push_back(q->price);
      }
      if (const auto median = median_quote(values)) o.price[i] = static_cast<std::int64_t>(providers::to_answer(*median));  // 8 decimals fit 64 bits (report.hpp)
    }
    if (control.byzantine() == "lie") {
      const double factor = 1.0 + param("offset", 0.0);
      for (auto& v : o.price)
        if (v) v = std::llround(static_cast<double>(*v) * factor);
      control.byzantine_acted();
    }
    return o;
  }

  // --- pacemaker ---

  void apply(const ocr::PacemakerOutput& out) {
    if (out.broadcast_newepoch) {
      const std::uint32_t e = *out.broadcast_newepoch;
      const int from = id;
      don.broadcast(from, kNewEpochBytes, don.k_newepoch_,
                    [from, e](Node& n) { n.apply(n.pace.on_newepoch(from, e)); });
    }
    if (out.arm_resend) resend_timer.arm(local(kDeltaResend));
    if (out.cancel_progress) progress_timer.cancel();
    if (out.arm_progress) progress_timer.arm(local(don.cfg_.delta_progress));
    if (out.started_epoch) start_epoch(*out.started_epoch);
  }

  void start_epoch(std::uint32_t e) {
    round_timer.cancel();
    deadline_timer.cancel();
    collecting = false;
    pending.clear();
    round = 0;
    seen_round = 0;
    don.epoch_started.emit(id, e, pace.current_leader());
    if (pace.current_leader() == id) round_timer.arm(local(don.cfg_.delta_initial));
  }

  // --- leader ---

  void on_round_timer() {
    collecting = false;
    deadline_timer.cancel();
    const sim::Time now = don.sim_.now();
    std::erase_if(pending, [&](const auto& kv) { return now - kv.second.created > don.cfg_.delta_progress; });
    ++round;
    const std::uint32_t e = pace.epoch();
    const int r = round;
    const int from = id;
    if (r <= don.cfg_.r_max) {
      ++don.rounds_;
      collecting = true;
      coll_epoch = e;
      coll_round = r;
      received.assign(static_cast<std::size_t>(don.cfg_.n), nullptr);
      order.clear();
      deadline_timer.arm(local(don.cfg_.max_duration_observation));
      round_timer.arm(local(don.cfg_.delta_round));
    }
    // Past r_max the observe-req only tells the followers (and this node) to change leader.
    don.broadcast(from, kObserveReqBytes, don.k_observe_req_, [from, e, r](Node& n) { n.on_observe_req(from, e, r); });
  }

  void on_observation(int from, std::uint32_t e, int r, const std::shared_ptr<const Observation>& o) {
    if (!collecting || e != coll_epoch || r != coll_round || e != pace.epoch()) return;
    auto& slot = received[static_cast<std::size_t>(from)];
    if (slot) return;
    slot = o;
    order.push_back(from);
    if (static_cast<int>(order.size()) < 2 * don.cfg_.f + 1) return;
    collecting = false;
    deadline_timer.cancel();
    decide(e, r);
  }

  void decide(std::uint32_t e, int r) {
    ++don.decided_;
    const int f = don.cfg_.f;
    std::vector<const Observation*> quorum;
    for (int i : order) quorum.push_back(received[static_cast<std::size_t>(i)].get());
    DonOutcome outcome = decide_outcome(quorum, don.feed_configs_, f, st);
    const std::uint64_t seq = outcome.seq;
    const sim::Time observed_at = outcome.observed_at;
    std::vector<ReportV3> reports = std::move(outcome.reports);

    const int from = id;
    if (reports.empty()) {
      auto none = std::make_shared<const std::vector<SignedReport>>();
      don.broadcast(from, kFinalBase, don.k_final_, [from, e, seq, none](Node& n) { n.on_final(from, e, seq, none); });
      return;
    }
    Pending p;
    p.epoch = e;
    p.created = don.sim_.now();
    p.observed_at = observed_at;
    p.reports = reports;
    p.sigs.resize(reports.size());
    p.signers.push_back(id);
    for (std::size_t k = 0; k < reports.size(); ++k)
      p.sigs[k].push_back(key.sign(signed_digest(ReportContext{don.cfg_.config_digest, seq, e}, reports[k])));
    pending[seq] = std::move(p);
    auto shared = std::make_shared<const std::vector<ReportV3>>(std::move(reports));
    const auto bytes = kProposalBase + kReportBytes * static_cast<std::uint32_t>(shared->size());
    for (int to = 0; to < don.cfg_.n; ++to) {
      if (to == id) continue;
      don.send(from, to, bytes, don.k_proposal_,
               [from, e, r, seq, shared](Node& n) { n.on_proposal(from, e, r, seq, shared); });
    }
    if (f + 1 <= 1) finalize(seq);
  }

  void on_signatures(int from, std::uint64_t seq, const std::vector<ocr::Signature>& sigs) {
    auto it = pending.find(seq);
    if (it == pending.end()) return;
    Pending& p = it->second;
    if (std::find(p.signers.begin(), p.signers.end(), from) != p.signers.end()) return;
    if (sigs.size() != p.reports.size()) return;
    const ocr::Address signer = don.nodes_[static_cast<std::size_t>(from)]->key.address();
    for (std::size_t k = 0; k < sigs.size(); ++k) {
      if (!don.keys_.verify(sigs[k], signed_digest(ReportContext{don.cfg_.config_digest, seq, p.epoch}, p.reports[k]), signer))
        return;
    }
    p.signers.push_back(from);
    for (std::size_t k = 0; k < sigs.size(); ++k) p.sigs[k].push_back(sigs[k]);
    if (static_cast<int>(p.signers.size()) == don.cfg_.f + 1) finalize(seq);
  }

  void finalize(std::uint64_t seq) {
    auto it = pending.find(seq);
    Pending p = std::move(it->second);
    pending.erase(it);
    auto out = std::make_shared<std::vector<SignedReport>>();
    for (std::size_t k = 0; k < p.reports.size(); ++k) {
      SignedReport sr;
      sr.context = ReportContext{don.cfg_.config_digest, seq, p.epoch};
      sr.report = p.reports[k];
      sr.signatures = std::move(p.sigs[k]);
      sr.observed_at = p.observed_at;
      out->push_back(std::move(sr));
    }
    for (const SignedReport& sr : *out) {
      ++don.attested_count_;
      don.attested.emit(sr);
    }
    std::uint32_t bytes = kFinalBase;
    for (const SignedReport& sr : *out) bytes += encoded_size(sr);
    const int from = id;
    const std::uint32_t e = p.epoch;
    std::shared_ptr<const std::vector<SignedReport>> final_reports = std::move(out);
    don.broadcast(from, bytes, don.k_final_,
                  [from, e, seq, final_reports](Node& n) { n.on_final(from, e, seq, final_reports); });
  }

  // --- follower (every node, the leader included) ---

  void on_observe_req(int from, std::uint32_t e, int r) {
    if (e != pace.epoch() || from != pace.current_leader() || r <= seen_round) return;
    seen_round = r;
    if (r > don.cfg_.r_max) {
      apply(pace.on_change_leader());
      return;
    }
    if (withholds()) return;
    auto o = std::make_shared<const Observation>(observe());
    const int me = id;
    const auto bytes = kObservationBase + kObservationPerFeed * static_cast<std::uint32_t>(don.feeds_.size());
    don.send(me, from, bytes, don.k_observation_, [me, e, r, o](Node& n) { n.on_observation(me, e, r, o); });
  }

  void on_proposal(int from, std::uint32_t e, int /*r*/, std::uint64_t seq,
                   const std::shared_ptr<const std::vector<ReportV3>>& reports) {
    if (e != pace.epoch() || from != pace.current_leader() || withholds()) return;
    if (!follower_accepts(*reports, st.last_ts, [this](FeedId id) { return don.feed_index(id); })) return;
    std::vector<ocr::Signature> sigs;
    for (const ReportV3& rep : *reports) sigs.push_back(key.sign(signed_digest(ReportContext{don.cfg_.config_digest, seq, e}, rep)));
    const int me = id;
    const auto bytes = kProposalBase + kSignatureBytes * static_cast<std::uint32_t>(sigs.size());
    don.send(me, from, bytes, don.k_signatures_,
             [me, seq, sigs = std::move(sigs)](Node& n) { n.on_signatures(me, seq, sigs); });
  }

  void on_final(int /*from*/, std::uint32_t e, std::uint64_t seq,
                const std::shared_ptr<const std::vector<SignedReport>>& reports) {
    st.committed_seq = std::max(st.committed_seq, seq);
    for (const SignedReport& sr : *reports) {
      const int k = don.feed_index(sr.report.feed_id);
      if (k >= 0) {
        auto& ts = st.last_ts[static_cast<std::size_t>(k)];
        ts = std::max(ts, static_cast<std::int64_t>(sr.report.observations_timestamp));
      }
    }
    if (e == pace.epoch()) apply(pace.on_progress());
    for (std::size_t i = 0; i < reports->size(); ++i) {
      const SignedReport& sr = (*reports)[i];
      for (std::size_t d = 0; d < don.destinations_.size(); ++d) {
        don.net_.send(don.hosts_[static_cast<std::size_t>(id)], don.destinations_[d].host, encoded_size(sr),
                      don.k_report_, [don = &don, d, reports, i] { don->destinations_[d].on_arrival((*reports)[i]); });
      }
    }
  }

  StreamsDon& don;
  int id;
  faults::ActorControl control;
  ocr::SecretKey key;
  ocr::Pacemaker pace;
  sim::Rng poll_rng;
  sim::Timer poll_timer, progress_timer, resend_timer, round_timer, deadline_timer;
  bool started = false;
  std::uint64_t generation = 0;  // bumped on crash: provider replies to earlier queries are ignored

  std::vector<std::optional<Quote>> quotes;  // per provider
  // The outcome state: last reported timestamps and the committed sequence number persist across crashes;
  // the proposal fields are this node's as a leader.
  OutcomeState st;
  int seen_round = 0;                        // highest observe-req round answered in the current epoch

  // Leader state of the current epoch.
  int round = 0;
  bool collecting = false;
  std::uint32_t coll_epoch = 0;
  int coll_round = 0;
  std::vector<std::shared_ptr<const Observation>> received;  // per node, this round (null: none yet)
  std::vector<int> order;                                    // arrival order of `received`
  std::map<std::uint64_t, Pending> pending;  // by seq_nr: proposals collecting signatures
};

// ---------------------------------------------------------------------------------------------------------------

StreamsDon::StreamsDon(sim::Simulation& sim, sim::Network& net, const DonConfig& cfg, std::vector<DonFeed> feeds,
                       std::uint64_t key_seed)
    : sim_(sim), net_(net), cfg_(cfg), feeds_(std::move(feeds)),
      leader_key_(sim::hash_combine(key_seed, sim::fnv1a64("streams/don/leader-key"))),
      pacemaker_cfg_(Node::pacemaker_config(*this)) {
  sim::ConfigIssues issues = validate_don(cfg_, "don");
  if (feeds_.empty()) issues.add("feeds", "at least one feed is required");
  for (std::size_t i = 0; i < feeds_.size(); ++i) {
    const std::string path = fmt::format("feeds[{}]", i);
    const DonFeed& f = feeds_[i];
    if (f.providers.empty()) issues.add(path + ".providers", "at least one provider is required");
    for (const auto* p : f.providers)
      if (p == nullptr) issues.add(path + ".providers", "null provider");
    if (!(f.config.spread >= 0 && f.config.spread < 1)) issues.add(path + ".spread", "must be in [0, 1)");
    if (f.config.expiry <= sim::Duration{}) issues.add(path + ".expiry", "must be > 0");
    for (std::size_t j = 0; j < i; ++j)
      if (feed_id_of(feeds_[j].config.name) == feed_id_of(f.config.name))
        issues.add(path + ".name", fmt::format("duplicate feed '{}'", f.config.name));
  }
  issues.throw_if_any("invalid Streams DON");

  feed_ids_.reserve(feeds_.size());
  for (const DonFeed& f : feeds_) {
    feed_ids_.push_back(feed_id_of(f.config.name));
    feed_configs_.push_back(f.config);
    std::vector<int> idx;
    for (providers::DataProvider* p : f.providers) {
      auto it = std::find(providers_.begin(), providers_.end(), p);
      if (it == providers_.end()) {
        providers_.push_back(p);
        it = providers_.end() - 1;
      }
      idx.push_back(static_cast<int>(it - providers_.begin()));
    }
    feed_providers_.push_back(std::move(idx));
  }

  k_newepoch_ = net_.kind("streams/newepoch");
  k_observe_req_ = net_.kind("streams/observe-req");
  k_observation_ = net_.kind("streams/observation");
  k_proposal_ = net_.kind("streams/proposal");
  k_signatures_ = net_.kind("streams/signatures");
  k_final_ = net_.kind("streams/final");
  k_report_ = net_.kind("streams/report");

  for (int i = 0; i < cfg_.n; ++i) {
    const std::string& region =
        cfg_.regions.empty() ? cfg_.region : cfg_.regions[static_cast<std::size_t>(i) % cfg_.regions.size()];
    hosts_.push_back(net_.add_host(don_node_name(i), region));
    nodes_.push_back(std::make_unique<Node>(*this, i, key_seed));
    keys_.add(nodes_.back()->key);
  }
}

StreamsDon::~StreamsDon() = default;

void StreamsDon::add_destination(sim::HostId host, std::function<void(const SignedReport&)> on_arrival) {
  destinations_.push_back({host, std::move(on_arrival)});
}

void StreamsDon::register_actors(faults::ActorDirectory& directory) {
  for (auto& n : nodes_) directory.add(n->control);
}

void StreamsDon::start() {
  for (auto& n : nodes_) n->start();
}

std::vector<ocr::Address> StreamsDon::signers() const {
  std::vector<ocr::Address> out;
  for (const auto& n : nodes_) out.push_back(n->key.address());
  return out;
}

faults::ActorControl& StreamsDon::control(int node) { return nodes_.at(static_cast<std::size_t>(node))->control; }

sim::HostId StreamsDon::host(int node) const { return hosts_.at(static_cast<std::size_t>(node)); }

int StreamsDon::leader_of(std::uint32_t epoch) const { return ocr::leader(epoch, cfg_.n, leader_key_); }

std::uint32_t StreamsDon::epoch(int node) const { return nodes_.at(static_cast<std::size_t>(node))->pace.epoch(); }

int StreamsDon::feed_index(FeedId id) const {
  for (std::size_t i = 0; i < feed_ids_.size(); ++i)
    if (feed_ids_[i] == id) return static_cast<int>(i);
  return -1;
}

void StreamsDon::send(int from, int to, std::uint32_t bytes, sim::MessageKind kind, std::function<void(Node&)> handle) {
  Node* dest = nodes_[static_cast<std::size_t>(to)].get();
  if (from == to) {
    // Loopback: its own event at the current time, so the sender finishes its handler first.
    sim_.after(sim::Duration{}, [dest, handle = std::move(handle)] {
      if (dest->control.admit()) handle(*dest);
    });
    return;
  }
  net_.send(hosts_[static_cast<std::size_t>(from)], hosts_[static_cast<std::size_t>(to)], bytes, kind,
            [dest, handle = std::move(handle)] {
              if (dest->control.admit()) handle(*dest);
            });
}

void StreamsDon::broadcast(int from, std::uint32_t bytes, sim::MessageKind kind, std::function<void(Node&)> handle) {
  auto shared = std::make_shared<const std::function<void(Node&)>>(std::move(handle));
  for (int to = 0; to < cfg_.n; ++to) send(from, to, bytes, kind, [shared](Node& n) { (*shared)(n); });
}

}  // namespace models::streams
