#pragma once
// The OCR oracles of one feed as network peers: maps oracle ids to network hosts and to the nodes that receive,
// and carries protocol messages over sim::Network with their modelled wire sizes, one message kind per type
// ("ocr/newepoch", "ocr/observe-req", ...). A broadcast reaches every oracle including the sender (the copy to
// itself is delivered at once, as libocr's loopback).
#include <array>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/ocr/messages.hpp"
#include "sim/network/network.hpp"
#include "sim/simulation.hpp"

namespace models::ocr {

class OcrPeers {
 public:
  using Receive = std::function<void(OracleId from, const Message& m)>;

  OcrPeers(sim::Simulation& sim, sim::Network& net, OcrVersion version);

  // Registers oracle `id` (ids must be added as 0, 1, 2, ...) on network host `host`.
  void add(OracleId id, sim::HostId host, Receive receive);
  int size() const { return static_cast<int>(peers_.size()); }
  sim::HostId host(OracleId id) const { return peers_.at(static_cast<std::size_t>(id)).host; }

  // What the oracles tell their peers so that a newepoch copy that would change nothing is known as such (see
  // send()): whether oracle `id` listens (it is up and in this configuration; no oracle listens until it says so),
  // and the highest newepoch its pacemaker heard from `from`. Kept here, in one n x n table per configuration, so
  // that a resend reads its n receivers' answers from one row instead of from n oracles.
  void set_listening(OracleId id, bool listening) { listening_.at(static_cast<std::size_t>(id)) = listening ? 1 : 0; }
  void set_heard(OracleId id, OracleId from, Epoch epoch) {
    heard_.at(static_cast<std::size_t>(from) * peers_.size() + static_cast<std::size_t>(id)) = epoch;
  }
  // Whether newepoch(epoch) from `from` would leave oracle `to` exactly as it is: it listens and heard as much.
  bool ignores_newepoch(OracleId to, OracleId from, Epoch epoch) const {
    const auto t = static_cast<std::size_t>(to);
    return listening_[t] != 0 && !(heard_[static_cast<std::size_t>(from) * peers_.size() + t] < epoch);
  }

  // Sends `out` (a broadcast to every oracle, the sender included). A newepoch copy to an oracle that would change
  // nothing there (ignores_newepoch) is not delivered: libocr's pacemaker resends newepoch(ne) to everyone every
  // DeltaResend, and a receiver that heard ne (or more) from the sender drops it unchanged (Pacemaker::on_newepoch).
  // The copy is still accounted on the network (Network::send_undelivered: its latency and loss draws, its FIFO
  // place, its drop counters), so every later message and every oracle's decisions are what delivering it would
  // give; what it spares is n^2 scheduled deliveries per DeltaResend and feed (docs/ocr.md). When every receiver
  // would drop its copy (the usual resend), a sender's copies go out as one batch (Network::send_undelivered(batch)):
  // the n - 1 channels draw their share when next used.
  void send(OracleId from, Outgoing out);
  // The configuration these peers belong to was replaced: messages still in flight are dropped on arrival (libocr's
  // network endpoint is per config digest) and nothing more is sent; the channels leave their batches.
  void close();
  bool closed() const { return closed_; }
  // Messages handed to the network or delivered locally, by type (index of the Message alternative).
  const std::array<std::uint64_t, std::variant_size_v<Message>>& sent() const { return sent_; }

 private:
  struct Peer {
    sim::HostId host;
    Receive receive;
  };
  void deliver(sim::HostId to, OracleId from, const Message& m);
  void ensure_channels();
  sim::Network::Channel* channel(OracleId from, OracleId to);
  void deliver_local(OracleId id, std::shared_ptr<const Message> m);

  sim::Simulation& sim_;
  sim::Network& net_;
  OcrVersion version_;
  std::vector<Peer> peers_;
  std::vector<std::uint8_t> listening_;  // by oracle
  std::vector<Epoch> heard_;             // n x n, sender * n + receiver: the highest newepoch heard (a row per sender)
  std::vector<std::pair<sim::HostId, OracleId>> on_host_;  // (host, oracle) of every oracle, sorted
  std::vector<sim::Network::Channel*> channels_;        // n x n, from * n + to, made at the first send
  std::vector<sim::Network::BatchId> batches_;          // by sender: its channels to the other hosts
  std::vector<sim::Network::Channel*> targets_;         // scratch: a broadcast's receivers
  std::array<sim::MessageKind, std::variant_size_v<Message>> kinds_{};
  std::array<std::uint64_t, std::variant_size_v<Message>> sent_{};
  bool closed_ = false;
};

}  // namespace models::ocr
