#pragma once
// sim::Network: message delivery between named hosts over a Topology, with latency, jitter, bandwidth,
// loss, reliable or best-effort channels, and the impairments faults install (crashed hosts, partitions,
// link effects).
//
//   sim::Network net{sim, cfg};
//   auto a = net.add_host("feed/node-0", "us-east");
//   auto b = net.add_host("feed/node-1", "eu-west");
//   auto k = net.kind("ocr/observe");
//   net.send(a, b, 200, k, [&] { node1.on_observe(...); });
//   net.broadcast(a, peers, 200, k, [&](sim::HostId to) { ... });
//
// Delivery is an event at now + latency, where latency = sum over the route's hops of (base + jitter)
// + bytes * 8 / bottleneck bandwidth (+ retransmission delays on reliable channels). A message is dropped
// (no callback, a `dropped` signal with the reason) when: the sender or the receiver is down at send or at
// delivery time, a partition separates them at send or at delivery time, there is no route, or it is lost
// on a best-effort channel (or on a reliable one after max_retransmissions). Reliable-ordered channels never
// reorder between a pair: a message is delivered no earlier than the previous reliable one on that pair.
//
// Each ordered host pair draws from its own stream "network/<from>-><to>", so adding a host or a message
// elsewhere never changes a pair's randomness.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/inline_function.hpp"
#include "sim/network/network_config.hpp"
#include "sim/network/topology.hpp"
#include "sim/random.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"

namespace sim {

using MessageKind = std::uint32_t;    // interned message kind, from Network::kind()
using ImpairmentId = std::uint64_t;   // a partition or link effect, from add_partition / add_link_effect

enum class DropReason { loss, partition, sender_down, receiver_down, no_route };
std::string_view to_string(DropReason r);

struct MessageInfo {
  std::uint64_t id = 0;     // sequence number of the message in this network (broadcast: one per receiver)
  HostId from = 0;
  HostId to = 0;
  std::uint32_t bytes = 0;  // payload size in bytes
  MessageKind kind = 0;
  Time sent_at;             // when send() was called
  Time deliver_at;          // planned delivery time (== sent_at for messages dropped at send)
};

struct KindCounters {
  std::string kind;                  // message kind name
  std::uint64_t sent = 0;            // messages handed to send()/broadcast() (one per receiver)
  std::uint64_t sent_bytes = 0;
  std::uint64_t delivered = 0;       // messages whose callback ran
  std::uint64_t delivered_bytes = 0;
  std::uint64_t dropped = 0;         // messages dropped for any reason
  std::uint64_t dropped_bytes = 0;
};

// What a link fault does to messages between two host sets (either direction).
struct LinkEffect {
  Duration added_latency;   // added to every message, >= 0
  double multiplier = 1.0;  // applied to the sampled latency (before added_latency), > 0
  double loss = 0.0;        // extra loss probability per transmission, [0, 1]
};

class Network {
 public:
  using Deliver = InlineFunction<48>;  // move-only; captures up to 48 bytes need no allocation
  using DeliverTo = std::function<void(HostId to)>;
  // Called for every message an impairment hits: dropped = true if it dropped it, false if it only delayed it.
  using ImpairmentHook = std::function<void(const MessageInfo&, bool dropped)>;

  // Throws std::invalid_argument listing every validation issue when cfg is invalid.
  Network(Simulation& sim, NetworkConfig cfg);
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // Registers a host. `region` must be one of the config's regions (empty: the first, or "default").
  // Throws std::invalid_argument on a duplicate name or unknown region. Hosts may be added at any time;
  // the topology is rebuilt lazily on the next send.
  HostId add_host(std::string name, std::string region = {});
  std::optional<HostId> find_host(std::string_view name) const;
  const std::string& host_name(HostId h) const { return hosts_[h].name; }
  std::size_t host_count() const { return hosts_.size(); }
  const NetworkConfig& config() const { return cfg_; }

  // Interns a message kind (same name, same id). Counters are kept per kind.
  MessageKind kind(std::string_view name);
  const std::string& kind_name(MessageKind k) const { return kinds_[k].kind; }
  Delivery delivery(MessageKind k) const { return kind_delivery_[k]; }

  void send(HostId from, HostId to, std::uint32_t bytes, MessageKind kind, Deliver deliver);

  // The state of the ordered host pair a -> b (its random stream, route and FIFO order), for senders that send on
  // the same pairs again and again: holding it spares a lookup per message. Valid as long as the network; the same
  // pair whether reached through a channel or through host ids.
  struct Channel;
  Channel& channel(HostId a, HostId b);
  // send() and broadcast() on channels held (each `to` channel must start at the same host).
  void send(Channel& ch, std::uint32_t bytes, MessageKind kind, Deliver deliver);
  void broadcast(std::span<Channel* const> to, std::uint32_t bytes, MessageKind kind, DeliverTo deliver);
  // A message whose delivery the sender knows would change nothing at the receiver: everything send() does when
  // sending (counters, drops with their reasons and hooks, the latency and loss draws from the pair's stream, the
  // place in a reliable channel's order) except scheduling and delivering it. The pair's later messages and every
  // drop counter are as they would be had it been sent; it never counts as delivered.
  // Its latency only matters to a later reliable message on the pair that could arrive before it (the FIFO order)
  // or to a drop or impairment hook, so where neither can happen it is not computed: the pair's stream skips the
  // jitter draws, and the message keeps the stream's state until a later message needs its arrival (Channel::owes).
  // Every result is the same as computing it at once.
  void send_undelivered(Channel& ch, std::uint32_t bytes, MessageKind kind);
  // Channels that are sent undelivered messages together, again and again (an OCR oracle's newepoch resends to
  // every peer): send_undelivered(batch) accounts one message on each of them as send_undelivered(channel) would,
  // in their order, but only counts them at once and notes the sending time; each channel draws and owes its share
  // when something next reads it (a message sent on it, a settlement, a new host). Every result, counter and
  // message id is the same as sending them one by one. A channel belongs to at most one batch.
  using BatchId = std::uint32_t;
  static constexpr BatchId kNoBatch = ~BatchId{0};
  // kNoBatch when `channels` is empty or one of them already belongs to a batch.
  BatchId make_batch(std::span<Channel* const> channels);
  // Settles the batch's channels and frees them for another batch.
  void close_batch(BatchId batch);
  // False, having done nothing, unless every channel of the batch is on send_undelivered's usual path (both hosts
  // up, one lossless hop with bounded jitter, no impairment, nobody listening to `sent`): the caller then sends
  // them one by one.
  bool send_undelivered(BatchId batch, std::uint32_t bytes, MessageKind kind);
  // One message to each of `to` (skipping `from`), each with its own latency; deliver(to) runs per receiver.
  void broadcast(HostId from, std::span<const HostId> to, std::uint32_t bytes, MessageKind kind, DeliverTo deliver);
  // To every other registered host, in HostId order.
  void broadcast(HostId from, std::uint32_t bytes, MessageKind kind, DeliverTo deliver);

  // The base latency of the route a -> b (no jitter, no size); nullopt if unreachable.
  std::optional<Duration> base_latency(HostId a, HostId b);
  // Draws one latency a -> b for a message of `bytes` on a best-effort channel with no impairment, as
  // send() would (advances the pair's stream). For calibration and tests.
  Duration sample_latency(HostId a, HostId b, std::uint32_t bytes);

  // --- impairments (used by models/faults) ---
  void set_host_up(HostId h, bool up);
  bool host_up(HostId h) const { return up_[h] != 0; }
  // Messages between hosts of different groups are dropped. Hosts in no group are unaffected.
  ImpairmentId add_partition(const std::vector<std::vector<HostId>>& groups, ImpairmentHook hook = {});
  ImpairmentId add_link_effect(std::span<const HostId> a, std::span<const HostId> b, LinkEffect effect,
                               ImpairmentHook hook = {});
  // Removes a partition or link effect; unknown ids are ignored.
  void remove_impairment(ImpairmentId id);

  // --- observation ---
  Signal<MessageInfo> sent;                  // after send() accepted a message (also those dropped later)
  Signal<MessageInfo> delivered;             // just before the deliver callback runs
  Signal<MessageInfo, DropReason> dropped;   // a message will never be delivered
  // Per-kind counters, sorted by kind name.
  std::vector<KindCounters> counters() const;
  std::uint64_t messages_in_flight() const { return in_flight_count_; }

 private:
  struct Host {
    std::string name;
    std::string region;
  };
  using Pair = Channel;
  struct Impairment {
    ImpairmentId id;
    bool partition;
    std::vector<std::int32_t> group;  // partition: group per host (-1: none); link: 1 = set a, 2 = set b, 3 = both
    LinkEffect effect;
    ImpairmentHook hook;
  };
  struct InFlight {
    MessageInfo info;
    Deliver one;
    std::shared_ptr<const DeliverTo> many;
    std::uint32_t next_free = 0;
  };

  void ensure_topology() {
    if (!topology_) build_topology();
  }
  void build_topology();
  // p ready for a message: its batch's messages drawn (catch_up) and its route found (again after a topology rebuild).
  Pair& routed(Pair& p);
  // Whether an undelivered message of `kind` on `p` takes send_undelivered's usual path: both hosts up, one lossless
  // hop with bounded jitter, no impairment anywhere, nobody listening to `sent` (network-wide part, then p's part).
  bool usual_undelivered(MessageKind kind) const {
    return kind < kinds_.size() && topology_ && impairments_.empty() && !sent.has_subscribers();
  }
  bool usual_undelivered(const Pair& p) const;
  // `known`: the pair's channel when the caller holds it (else it is looked up).
  void send_one(HostId from, HostId to, std::uint32_t bytes, MessageKind kind, Deliver one,
                const std::shared_ptr<const DeliverTo>& many, Pair* known = nullptr, bool deliver = true);
  void arrive(std::uint32_t slot);
  // A batch's messages not yet drawn on their channels: log[i] is the batch's message begin + i.
  struct BatchCopy {
    Time sent;
    std::uint32_t bytes;
    MessageKind kind;
  };
  struct Batch {
    std::vector<Channel*> channels;
    std::vector<BatchCopy> log;
    std::uint64_t begin = 0;          // the number of the first message in `log`
    std::uint32_t behind = 0;         // channels that have not drawn every message of the log
    std::uint64_t checked = 0;        // version_ at which every channel was found on the usual path (0: not)
    bool open = false;
  };
  void catch_up(Pair& p);  // inline below: nothing unless p is in a batch
  void catch_up_batch(Pair& p);  // draws and owes the batch's messages p has not taken yet
  void catch_up_all();           // every batch's, on every channel
  // Folds an undelivered message's owed arrival into the pair's FIFO order, unless `arrival` (a later message's
  // own arrival time) is no earlier than the latest the owed one can be.
  void settle(Pair& p, std::optional<Time> arrival = std::nullopt);
  // The latest an undelivered message sent now with that retransmission delay can arrive (p bounded).
  static Time latest_arrival(const Pair& p, Time sent, Duration retransmission, std::uint32_t bytes);
  void owe(Pair& p, const Rng& before, Time now, Duration retransmission, std::uint32_t bytes);
  void settle_all();  // every pair's, before the routes they were drawn on go away
  void drop(const MessageInfo& m, DropReason r);
  const Impairment* partitioned(HostId a, HostId b) const;
  static std::span<const LinkParams* const> hops(const Pair& p);  // the routed pair's hops
  Duration sample(Pair& p, std::uint32_t bytes);
  static Duration sample(std::span<const LinkParams* const> route, Rng& rng, std::uint32_t bytes);
  static void skip_jitter(Pair& p);  // advances the pair's stream past the draws sample() would make

  Simulation& sim_;
  NetworkConfig cfg_;
  std::vector<Host> hosts_;
  std::vector<std::uint8_t> up_;  // by host: 1 while up (apart from the names, which every message would not need)
  std::map<std::string, HostId, std::less<>> host_index_;
  std::unique_ptr<Topology> topology_;
  std::deque<Pair> channels_;                       // in creation order; references stay valid
  std::unordered_map<std::uint64_t, Pair*> pairs_;  // key from << 32 | to; looked up, never iterated
  std::vector<KindCounters> kinds_;
  std::vector<Delivery> kind_delivery_;
  std::map<std::string, MessageKind, std::less<>> kind_index_;
  std::vector<Impairment> impairments_;  // in creation order
  ImpairmentId next_impairment_ = 1;
  std::vector<InFlight> in_flight_;
  std::uint32_t free_slot_ = 0;  // 1-based index into in_flight_, 0 = none
  std::uint64_t in_flight_count_ = 0;
  std::uint64_t next_message_ = 1;
  std::vector<Batch> batches_;          // by BatchId
  std::vector<BatchId> free_batches_;   // closed ones, reused
  std::uint64_t version_ = 1;   // changes whenever a channel may leave send_undelivered's usual path
};

// Laid out for the message path: the first cache line is what every message on the pair reads, the next two what an
// undelivered one reads and leaves owed and the channel's batch (send_undelivered's usual case touches these three
// only); channels are stored side by side in the order they were first asked for (a sender asking for all its pairs
// at once gets them in consecutive lines).
struct alignas(64) Network::Channel {
  Channel(Rng stream, HostId a, HostId b) : rng(stream), from(a), to(b), owed_rng(stream) {}
  Rng rng;
  Time last_reliable;  // delivery time of the previous reliable message on this pair
  const LinkParams* hop = nullptr;  // the route's hop when it has exactly one (spares reading route.hops)
  HostId from = 0, to = 0;
  bool routed = false;     // the route and the summaries below are set (for the current topology)
  bool reachable = false;  // route.reachable
  bool bounded = false;    // no jitter without bound (pareto) on the route: max_latency_ns holds
  bool batched = false;    // in a batch (batch, batch_next)
  // An undelivered reliable message whose latency was not drawn yet (send_undelivered): its size, the pair's stream
  // as it was before its jitter draws, when it was sent, the latest it can arrive and its retransmission delay.
  bool owes = false;
  Rng owed_rng;
  Time owed_sent;
  Time owed_latest;
  // The most a message's latency can be before its size and retransmissions (every jitter draw at its largest), and
  // the route's narrowest link (0 = none).
  double max_latency_ns = 0;
  std::uint64_t bottleneck_bps = 0;
  Duration owed_retransmission;
  std::uint32_t owed_bytes = 0;
  BatchId batch = kNoBatch;
  std::uint64_t batch_next = 0;  // the first of the batch's messages this channel has not drawn yet
  double keep = 1.0;  // probability a transmission survives every hop
  Route route;
};

inline void Network::catch_up(Pair& p) {
  if (p.batched) catch_up_batch(p);
}

}  // namespace sim
