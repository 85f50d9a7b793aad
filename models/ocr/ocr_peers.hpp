#pragma once
// The OCR oracles of one feed as network peers: maps oracle ids to network hosts and to the nodes that receive,
// and carries protocol messages over sim::Network with their modelled wire sizes, one message kind per type
// ("ocr/newepoch", "ocr/observe-req", ...). A broadcast reaches every oracle including the sender (the copy to
// itself is delivered at once, as libocr's loopback).
#include <array>
#include <functional>
#include <memory>
#include <string>
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

  void send(OracleId from, const Outgoing& out);
  // Messages handed to the network or delivered locally, by type (index of the Message alternative).
  const std::array<std::uint64_t, std::variant_size_v<Message>>& sent() const { return sent_; }

 private:
  struct Peer {
    sim::HostId host;
    Receive receive;
  };
  void deliver_local(OracleId id, std::shared_ptr<const Message> m);

  sim::Simulation& sim_;
  sim::Network& net_;
  OcrVersion version_;
  std::vector<Peer> peers_;
  std::vector<sim::HostId> hosts_;
  std::array<sim::MessageKind, std::variant_size_v<Message>> kinds_{};
  std::array<std::uint64_t, std::variant_size_v<Message>> sent_{};
};

}  // namespace models::ocr
