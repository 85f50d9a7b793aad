#include "sim/network/network.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/core.h>

#include "sim/distributions.hpp"

namespace sim {

std::string_view to_string(DropReason r) {
  switch (r) {
    case DropReason::loss: return "loss";
    case DropReason::partition: return "partition";
    case DropReason::sender_down: return "sender_down";
    case DropReason::receiver_down: return "receiver_down";
    case DropReason::no_route: return "no_route";
  }
  return "?";
}

Network::Network(Simulation& sim, NetworkConfig cfg) : sim_(sim), cfg_(std::move(cfg)) {
  const ConfigIssues issues = validate(cfg_);
  issues.throw_if_any("invalid network configuration");
}

Network::~Network() = default;

HostId Network::add_host(std::string name, std::string region) {
  if (name.empty()) throw std::invalid_argument("network: host name must not be empty");
  if (host_index_.count(name)) throw std::invalid_argument(fmt::format("network: host '{}' added twice", name));
  if (cfg_.topology == TopologyKind::full_mesh && !region.empty()) {
    const bool known = cfg_.regions.empty() ? region == "default"
                                            : std::find(cfg_.regions.begin(), cfg_.regions.end(), region) != cfg_.regions.end();
    if (!known) throw std::invalid_argument(fmt::format("network: host '{}' is in unknown region '{}'", name, region));
  }
  const auto id = static_cast<HostId>(hosts_.size());
  host_index_.emplace(name, id);
  hosts_.push_back({std::move(name), std::move(region)});
  up_.push_back(1);
  settle_all();       // batched and owed messages are drawn on the routes about to go
  topology_.reset();  // rebuilt on the next send
  for (Impairment& imp : impairments_) imp.group.push_back(imp.partition ? -1 : 0);
  return id;
}

std::optional<HostId> Network::find_host(std::string_view name) const {
  auto it = host_index_.find(name);
  if (it == host_index_.end()) return std::nullopt;
  return it->second;
}

MessageKind Network::kind(std::string_view name) {
  auto it = kind_index_.find(name);
  if (it != kind_index_.end()) return it->second;
  const auto id = static_cast<MessageKind>(kinds_.size());
  kind_index_.emplace(std::string(name), id);
  KindCounters c;
  c.kind = std::string(name);
  kinds_.push_back(std::move(c));
  auto ch = cfg_.channels.find(std::string(name));
  kind_delivery_.push_back(ch == cfg_.channels.end() ? cfg_.default_delivery : ch->second);
  return id;
}

void Network::build_topology() {
  std::vector<HostSpec> specs;
  specs.reserve(hosts_.size());
  for (const Host& h : hosts_) specs.push_back({h.name, h.region});
  topology_ = std::make_unique<Topology>(cfg_, std::move(specs));
  for (Pair& p : channels_) p.routed = false;  // routes point into the old topology
  ++version_;
}

// The largest standard normal Box-Muller gives (sim::normal: sqrt(-2 ln u) with u >= 2^-53, times a cosine), rounded
// up: a lognormal jitter factor never exceeds exp(sigma * kMaxNormal).
constexpr double kMaxNormal = 8.5746;

Network::Pair& Network::routed(Pair& p) {
  catch_up(p);
  if (!p.routed) {
    p.route = topology_->route(p.from, p.to);
    p.routed = true;
    p.reachable = p.route.reachable;
    p.hop = p.route.hops.size() == 1 ? p.route.hops.front() : nullptr;
    double most = 0, keep = 1.0;
    std::uint64_t bottleneck = 0;
    bool bounded = true;
    for (const LinkParams* hop : p.route.hops) {
      const double base = static_cast<double>(hop->latency.ns());
      most += base;
      const JitterConfig& j = hop->jitter;
      if (j.dist == JitterDist::lognormal) most += base * std::max(0.0, j.scale) * std::exp(std::abs(j.sigma) * kMaxNormal);
      else if (j.dist == JitterDist::pareto) bounded = false;
      if (hop->bandwidth_bps > 0 && (bottleneck == 0 || hop->bandwidth_bps < bottleneck)) bottleneck = hop->bandwidth_bps;
      keep *= 1.0 - hop->loss;
    }
    p.bounded = bounded;
    p.max_latency_ns = most;
    p.bottleneck_bps = bottleneck;
    p.keep = keep;
  }
  return p;
}

std::optional<Duration> Network::base_latency(HostId a, HostId b) {
  ensure_topology();
  const Route r = topology_->route(a, b);
  if (!r.reachable) return std::nullopt;
  return r.base;
}

std::span<const LinkParams* const> Network::hops(const Pair& p) {
  if (p.hop != nullptr) return {&p.hop, 1};  // in the channel's first line: no read of route.hops
  return p.route.hops;
}

Duration Network::sample(Pair& p, std::uint32_t bytes) { return sample(hops(p), p.rng, bytes); }

void Network::skip_jitter(Pair& p) {
  for (const LinkParams* hop : hops(p))
    if (hop->jitter.dist == JitterDist::lognormal) {  // sim::normal draws two uniforms
      p.rng.next();
      p.rng.next();
    }
}

Duration Network::sample(std::span<const LinkParams* const> route, Rng& rng, std::uint32_t bytes) {
  double ns = 0;
  std::uint64_t bottleneck = 0;
  for (const LinkParams* hop : route) {
    const double base = static_cast<double>(hop->latency.ns());
    ns += base;
    const JitterConfig& j = hop->jitter;
    if (j.dist == JitterDist::lognormal) ns += base * j.scale * std::exp(j.sigma * normal(rng, 0.0, 1.0));
    else if (j.dist == JitterDist::pareto) ns += base * j.scale * (pareto(rng, 1.0, j.alpha) - 1.0);
    if (hop->bandwidth_bps > 0 && (bottleneck == 0 || hop->bandwidth_bps < bottleneck)) bottleneck = hop->bandwidth_bps;
  }
  if (bottleneck > 0) ns += static_cast<double>(bytes) * 8.0 * 1e9 / static_cast<double>(bottleneck);
  return Duration::nanoseconds(static_cast<std::int64_t>(std::llround(std::min(ns, 9.0e18))));
}

Duration Network::sample_latency(HostId a, HostId b, std::uint32_t bytes) {
  ensure_topology();
  Pair& p = routed(channel(a, b));
  if (!p.route.reachable) throw std::invalid_argument("network: no route between the hosts");
  return sample(p, bytes);
}

const Network::Impairment* Network::partitioned(HostId a, HostId b) const {
  for (const Impairment& imp : impairments_) {
    if (!imp.partition) continue;
    const std::int32_t ga = imp.group[a], gb = imp.group[b];
    if (ga >= 0 && gb >= 0 && ga != gb) return &imp;
  }
  return nullptr;
}

void Network::drop(const MessageInfo& m, DropReason r) {
  KindCounters& c = kinds_[m.kind];
  ++c.dropped;
  c.dropped_bytes += m.bytes;
  dropped.emit(m, r);
}

void Network::send(HostId from, HostId to, std::uint32_t bytes, MessageKind kind, Deliver deliver) {
  send_one(from, to, bytes, kind, std::move(deliver), nullptr);
}

void Network::broadcast(HostId from, std::span<const HostId> to, std::uint32_t bytes, MessageKind kind,
                        DeliverTo deliver) {
  auto shared = std::make_shared<const DeliverTo>(std::move(deliver));
  for (HostId h : to)
    if (h != from) send_one(from, h, bytes, kind, {}, shared);
}

void Network::broadcast(HostId from, std::uint32_t bytes, MessageKind kind, DeliverTo deliver) {
  auto shared = std::make_shared<const DeliverTo>(std::move(deliver));
  for (HostId h = 0; h < hosts_.size(); ++h)
    if (h != from) send_one(from, h, bytes, kind, {}, shared);
}

Network::Channel& Network::channel(HostId a, HostId b) {
  if (a >= hosts_.size() || b >= hosts_.size()) throw std::out_of_range("network: unknown host id");
  const std::uint64_t key = (static_cast<std::uint64_t>(a) << 32) | b;
  auto it = pairs_.find(key);
  if (it == pairs_.end()) {
    channels_.emplace_back(sim_.stream(fmt::format("network/{}->{}", hosts_[a].name, hosts_[b].name)), a, b);
    it = pairs_.emplace(key, &channels_.back()).first;
  }
  return *it->second;
}

void Network::send(Channel& ch, std::uint32_t bytes, MessageKind kind, Deliver deliver) {
  send_one(ch.from, ch.to, bytes, kind, std::move(deliver), {}, &ch);
}

void Network::broadcast(std::span<Channel* const> to, std::uint32_t bytes, MessageKind kind, DeliverTo deliver) {
  if (to.empty()) return;
  auto shared = std::make_shared<const DeliverTo>(std::move(deliver));
  for (Channel* ch : to)
    if (ch->from != ch->to) send_one(ch->from, ch->to, bytes, kind, {}, shared, ch);
}

void Network::send_undelivered(Channel& ch, std::uint32_t bytes, MessageKind kind) {
  catch_up(ch);
  // The usual case in a few steps: what send_one does then is count it, skip its jitter draws and (reliable) owe it.
  if (usual_undelivered(kind) && usual_undelivered(ch)) {
    ++next_message_;
    KindCounters& c = kinds_[kind];
    ++c.sent;
    c.sent_bytes += bytes;
    const Rng before = ch.rng;
    skip_jitter(ch);
    if (kind_delivery_[kind] == Delivery::reliable_ordered) owe(ch, before, sim_.now(), Duration{}, bytes);
    return;
  }
  send_one(ch.from, ch.to, bytes, kind, {}, {}, &ch, false);
}

bool Network::usual_undelivered(const Pair& p) const {
  return p.routed && p.reachable && p.bounded && p.hop != nullptr && p.hop->loss == 0.0 && up_[p.from] && up_[p.to];
}

void Network::send_one(HostId from, HostId to, std::uint32_t bytes, MessageKind kind, Deliver one,
                       const std::shared_ptr<const DeliverTo>& many, Pair* known, bool deliver) {
  if (from >= hosts_.size() || to >= hosts_.size()) throw std::out_of_range("network: unknown host id");
  if (kind >= kinds_.size()) throw std::out_of_range("network: unknown message kind (use Network::kind)");
  ensure_topology();
  const Time now = sim_.now();
  MessageInfo m{next_message_++, from, to, bytes, kind, now, now};
  KindCounters& c = kinds_[kind];
  ++c.sent;
  c.sent_bytes += bytes;
  sent.emit(m);

  if (!up_[from]) return drop(m, DropReason::sender_down);
  if (!up_[to]) return drop(m, DropReason::receiver_down);
  if (const Impairment* imp = partitioned(from, to)) {
    if (imp->hook) imp->hook(m, true);
    return drop(m, DropReason::partition);
  }
  Pair& p = routed(known ? *known : channel(from, to));
  if (!p.reachable) return drop(m, DropReason::no_route);

  double keep = p.keep;  // probability a transmission survives every hop and effect
  const Impairment* hit[8];
  std::size_t hits = 0;
  bool affected = false;
  for (const Impairment& imp : impairments_) {
    if (imp.partition) continue;
    const std::int32_t ga = imp.group[from], gb = imp.group[to];
    if (!((ga & 1) && (gb & 2)) && !((ga & 2) && (gb & 1))) continue;
    affected = true;
    keep *= 1.0 - imp.effect.loss;
    if (hits < std::size(hit)) hit[hits++] = &imp;
  }
  const double loss = 1.0 - keep;
  const bool reliable = kind_delivery_[kind] == Delivery::reliable_ordered;

  // An undelivered message on a pair no link effect touches: its latency is needed only if it is dropped for loss
  // on a best-effort channel (the drop reports its planned arrival) or, on a reliable channel, when a later message
  // could arrive before it; the stream skips the jitter draws and keeps their state (Channel::owes).
  if (!deliver && !affected && p.bounded) {
    const Rng before = p.rng;
    skip_jitter(p);
    if (!reliable) {
      if (loss > 0 && bernoulli(p.rng, loss)) {
        Rng replay = before;
        m.deliver_at = now + sample(hops(p), replay, bytes);
        drop(m, DropReason::loss);
      }
      return;
    }
    Duration retransmission;
    for (std::uint32_t tries = 0; loss > 0 && bernoulli(p.rng, loss); ++tries) {
      if (tries == cfg_.max_retransmissions) return drop(m, DropReason::loss);
      retransmission += cfg_.retransmit_timeout * (std::int64_t{1} << tries);
    }
    owe(p, before, now, retransmission, bytes);
    return;
  }

  Duration latency = sample(p, bytes);
  if (affected) {
    for (const Impairment& imp : impairments_) {
      if (imp.partition) continue;
      const std::int32_t ga = imp.group[from], gb = imp.group[to];
      if (!((ga & 1) && (gb & 2)) && !((ga & 2) && (gb & 1))) continue;
      latency = Duration::nanoseconds(std::llround(static_cast<double>(latency.ns()) * imp.effect.multiplier)) +
                imp.effect.added_latency;
    }
  }
  bool lost = false;
  if (reliable) {
    // Each lost transmission costs a retransmission timeout, doubling per retry (exponential backoff).
    std::uint32_t tries = 0;
    while (loss > 0 && bernoulli(p.rng, loss)) {
      if (tries == cfg_.max_retransmissions) {
        lost = true;
        break;
      }
      latency += cfg_.retransmit_timeout * (std::int64_t{1} << tries);
      ++tries;
    }
    if (!lost) {
      settle(p, now + latency);
      const Time at = std::max(now + latency, p.last_reliable);
      p.last_reliable = at;
      m.deliver_at = at;
    }
  } else {
    lost = loss > 0 && bernoulli(p.rng, loss);
    m.deliver_at = now + latency;
  }
  for (std::size_t i = 0; i < hits; ++i)
    if (hit[i]->hook) hit[i]->hook(m, lost);
  if (lost) return drop(m, DropReason::loss);
  if (!deliver) return;  // accounted for, never delivered (send_undelivered)

  std::uint32_t slot;
  if (free_slot_ != 0) {
    slot = free_slot_ - 1;
    free_slot_ = in_flight_[slot].next_free;
  } else {
    slot = static_cast<std::uint32_t>(in_flight_.size());
    in_flight_.emplace_back();
  }
  InFlight& f = in_flight_[slot];
  f.info = m;
  f.one = std::move(one);
  f.many = many;
  ++in_flight_count_;
  sim_.at(m.deliver_at, [this, slot] { arrive(slot); }, "network/deliver");
}

Time Network::latest_arrival(const Pair& p, Time sent, Duration retransmission, std::uint32_t bytes) {
  double most = p.max_latency_ns;
  if (p.bottleneck_bps > 0) most += static_cast<double>(bytes) * 8.0 * 1e9 / static_cast<double>(p.bottleneck_bps);
  // Rounded up with room for the sum's rounding: never below the drawn latency (sample() rounds to the nearest ns).
  return sent + retransmission + Duration::nanoseconds(static_cast<std::int64_t>(std::min(most * (1 + 1e-9), 9.0e18)) + 2);
}

void Network::owe(Pair& p, const Rng& before, Time now, Duration retransmission, std::uint32_t bytes) {
  if (p.owes && p.owed_latest > now) settle(p);  // one owed at a time: an earlier one that may still bound a later
                                                 // message is folded in now
  p.owes = true;
  p.owed_bytes = bytes;
  p.owed_rng = before;
  p.owed_sent = now;
  p.owed_latest = latest_arrival(p, now, retransmission, bytes);
  p.owed_retransmission = retransmission;
}

void Network::settle(Pair& p, std::optional<Time> arrival) {
  if (!p.owes) return;
  p.owes = false;
  if (arrival && *arrival >= p.owed_latest) return;
  Rng replay = p.owed_rng;
  const Time at = p.owed_sent + sample(hops(p), replay, p.owed_bytes) + p.owed_retransmission;
  p.last_reliable = std::max(p.last_reliable, at);
}

void Network::settle_all() {
  catch_up_all();
  for (Pair& p : channels_) settle(p);  // each pair on its own: the order does not matter
}

namespace {
constexpr std::size_t kBatchLogMax = 64;
}  // namespace

Network::BatchId Network::make_batch(std::span<Channel* const> channels) {
  if (channels.empty()) return kNoBatch;
  for (const Channel* ch : channels)
    if (ch->batched) return kNoBatch;
  BatchId id;
  if (!free_batches_.empty()) {
    id = free_batches_.back();
    free_batches_.pop_back();
  } else {
    if (batches_.size() >= kNoBatch) return kNoBatch;
    id = static_cast<BatchId>(batches_.size());
    batches_.emplace_back();
  }
  Batch& b = batches_[id];
  b.channels.assign(channels.begin(), channels.end());
  b.log.clear();
  b.begin = 0;
  b.behind = 0;
  b.checked = 0;
  b.open = true;
  for (Channel* ch : channels) {
    ch->batched = true;
    ch->batch = id;
    ch->batch_next = 0;
  }
  return id;
}

void Network::close_batch(BatchId id) {
  if (id >= batches_.size() || !batches_[id].open) return;
  Batch& b = batches_[id];
  for (Channel* ch : b.channels) {
    catch_up(*ch);
    ch->batched = false;
    ch->batch = kNoBatch;
  }
  b.channels.clear();
  b.log.clear();
  b.open = false;
  free_batches_.push_back(id);
}

bool Network::send_undelivered(BatchId id, std::uint32_t bytes, MessageKind kind) {
  if (id >= batches_.size() || !batches_[id].open) return false;
  Batch& b = batches_[id];
  if (!usual_undelivered(kind)) return false;
  if (b.checked != version_) {  // the usual path on every channel (what only a version change can alter)
    for (const Channel* ch : b.channels)
      if (!usual_undelivered(*ch)) return false;
    b.checked = version_;
  }
  const auto n = static_cast<std::uint64_t>(b.channels.size());
  next_message_ += n;
  KindCounters& c = kinds_[kind];
  c.sent += n;
  c.sent_bytes += n * bytes;
  if (b.behind != 0 && b.log.size() >= kBatchLogMax)
    for (Channel* ch : b.channels) catch_up(*ch);  // bounds the log of a batch whose channels are rarely read
  if (b.behind == 0) {  // every channel took the whole log
    b.begin += b.log.size();
    b.log.clear();
  }
  b.log.push_back({sim_.now(), bytes, kind});
  b.behind = static_cast<std::uint32_t>(b.channels.size());
  return true;
}

void Network::catch_up_batch(Pair& p) {
  Batch& b = batches_[p.batch];
  const std::uint64_t end = b.begin + b.log.size();
  if (p.batch_next >= end) return;
  for (; p.batch_next < end; ++p.batch_next) {  // as send_undelivered(Channel&)'s usual path did at the time
    const BatchCopy& m = b.log[p.batch_next - b.begin];
    const Rng before = p.rng;
    skip_jitter(p);
    if (kind_delivery_[m.kind] == Delivery::reliable_ordered) owe(p, before, m.sent, Duration{}, m.bytes);
  }
  --b.behind;
}

void Network::catch_up_all() {
  for (Batch& b : batches_)
    for (Channel* ch : b.channels) catch_up(*ch);
}

void Network::arrive(std::uint32_t slot) {
  InFlight& f = in_flight_[slot];
  const MessageInfo m = f.info;
  Deliver one = std::move(f.one);
  std::shared_ptr<const DeliverTo> many = std::move(f.many);
  f.one.reset();
  f.next_free = free_slot_;
  free_slot_ = slot + 1;
  --in_flight_count_;

  if (!up_[m.from]) return drop(m, DropReason::sender_down);
  if (!up_[m.to]) return drop(m, DropReason::receiver_down);
  if (const Impairment* imp = partitioned(m.from, m.to)) {
    if (imp->hook) imp->hook(m, true);
    return drop(m, DropReason::partition);
  }
  KindCounters& c = kinds_[m.kind];
  ++c.delivered;
  c.delivered_bytes += m.bytes;
  delivered.emit(m);
  if (one) one();
  else if (many) (*many)(m.to);
}

void Network::set_host_up(HostId h, bool up) {
  up_.at(h) = up ? 1 : 0;
  ++version_;
}

ImpairmentId Network::add_partition(const std::vector<std::vector<HostId>>& groups, ImpairmentHook hook) {
  Impairment imp{next_impairment_++, true, std::vector<std::int32_t>(hosts_.size(), -1), {}, std::move(hook)};
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (HostId h : groups[g]) imp.group.at(h) = static_cast<std::int32_t>(g);
  impairments_.push_back(std::move(imp));
  return impairments_.back().id;
}

ImpairmentId Network::add_link_effect(std::span<const HostId> a, std::span<const HostId> b, LinkEffect effect,
                                      ImpairmentHook hook) {
  Impairment imp{next_impairment_++, false, std::vector<std::int32_t>(hosts_.size(), 0), effect, std::move(hook)};
  for (HostId h : a) imp.group.at(h) |= 1;
  for (HostId h : b) imp.group.at(h) |= 2;
  impairments_.push_back(std::move(imp));
  return impairments_.back().id;
}

void Network::remove_impairment(ImpairmentId id) {
  std::erase_if(impairments_, [id](const Impairment& i) { return i.id == id; });
}

std::vector<KindCounters> Network::counters() const {
  std::vector<KindCounters> out = kinds_;
  std::sort(out.begin(), out.end(), [](const KindCounters& a, const KindCounters& b) { return a.kind < b.kind; });
  return out;
}

}  // namespace sim
