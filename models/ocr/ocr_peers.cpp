#include "models/ocr/ocr_peers.hpp"

#include <stdexcept>

namespace models::ocr {

OcrPeers::OcrPeers(sim::Simulation& sim, sim::Network& net, OcrVersion version)
    : sim_(sim), net_(net), version_(version) {
  const std::array<Message, std::variant_size_v<Message>> samples{
      NewEpochMsg{}, ObserveReqMsg{}, ObserveMsg{}, ReportReqMsg{}, ReportMsg{}, FinalMsg{}, FinalEchoMsg{}};
  for (std::size_t i = 0; i < samples.size(); ++i) kinds_[i] = net_.kind(std::string("ocr/") + message_name(samples[i]));
}

void OcrPeers::add(OracleId id, sim::HostId host, Receive receive) {
  if (id != size()) throw std::invalid_argument("OcrPeers::add: oracle ids must be added in order 0, 1, 2, ...");
  peers_.push_back({host, std::move(receive)});
  hosts_.push_back(host);
}

void OcrPeers::deliver_local(OracleId id, std::shared_ptr<const Message> m) {
  // Delivered as its own event at the current time, so the sender finishes its handler first.
  sim_.after(sim::Duration{}, [this, id, m = std::move(m)] { peers_[static_cast<std::size_t>(id)].receive(id, *m); });
}

void OcrPeers::send(OracleId from, const Outgoing& out) {
  auto msg = std::make_shared<const Message>(out.message);
  const auto type = out.message.index();
  const auto bytes = static_cast<std::uint32_t>(wire_size(out.message, version_));
  const sim::HostId from_host = host(from);
  if (out.to == kBroadcast) {
    sent_[type] += static_cast<std::uint64_t>(size());
    deliver_local(from, msg);
    net_.broadcast(from_host, hosts_, bytes, kinds_[type], [this, from, msg](sim::HostId to) {
      for (std::size_t i = 0; i < hosts_.size(); ++i) {
        if (hosts_[i] == to) peers_[i].receive(from, *msg);
      }
    });
    return;
  }
  ++sent_[type];
  if (out.to == from) {
    deliver_local(from, std::move(msg));
    return;
  }
  const OracleId to = out.to;
  net_.send(from_host, host(to), bytes, kinds_[type],
            [this, from, to, msg] { peers_[static_cast<std::size_t>(to)].receive(from, *msg); });
}

}  // namespace models::ocr
