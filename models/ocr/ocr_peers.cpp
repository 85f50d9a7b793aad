#include "models/ocr/ocr_peers.hpp"

#include <algorithm>
#include <span>
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
  listening_.push_back(0);
  const std::size_t n = peers_.size();  // the table grows by a row and a column (oracles are added before sending)
  std::vector<Epoch> heard(n * n, 0);
  for (std::size_t from = 0; from + 1 < n; ++from)
    for (std::size_t to = 0; to + 1 < n; ++to) heard[from * n + to] = heard_[from * (n - 1) + to];
  heard_ = std::move(heard);
  // Kept sorted by host, then oracle id: deliver() finds a host's oracles in id order.
  const std::pair<sim::HostId, OracleId> entry{host, id};
  on_host_.insert(std::upper_bound(on_host_.begin(), on_host_.end(), entry), entry);
}

void OcrPeers::deliver_local(OracleId id, std::shared_ptr<const Message> m) {
  // Delivered as its own event at the current time, so the sender finishes its handler first.
  sim_.after(sim::Duration{}, [this, id, m = std::move(m)] {
    if (!closed_) peers_[static_cast<std::size_t>(id)].receive(id, *m);
  });
}

void OcrPeers::deliver(sim::HostId to, OracleId from, const Message& m) {
  if (closed_) return;
  auto it = std::lower_bound(on_host_.begin(), on_host_.end(), std::pair<sim::HostId, OracleId>{to, 0});
  for (; it != on_host_.end() && it->first == to; ++it) peers_[static_cast<std::size_t>(it->second)].receive(from, m);
}

void OcrPeers::ensure_channels() {
  const std::size_t n = peers_.size();
  if (channels_.size() == n * n) return;
  // Oracles are all added before the first send. Every pair's channel at once, sender by sender: the network stores
  // them in that order, so a broadcast walks consecutive memory. Oracles on one host have none (never remote).
  channels_.assign(n * n, nullptr);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b)
      if (peers_[a].host != peers_[b].host) channels_[a * n + b] = &net_.channel(peers_[a].host, peers_[b].host);
  batches_.assign(n, sim::Network::kNoBatch);
  std::vector<sim::Network::Channel*> row;
  for (std::size_t a = 0; a < n && !closed_; ++a) {
    row.clear();
    for (std::size_t b = 0; b < n; ++b)
      if (channels_[a * n + b] != nullptr) row.push_back(channels_[a * n + b]);
    batches_[a] = net_.make_batch(row);  // none when a channel is in another batch (e.g. two oracles of one host)
  }
}

void OcrPeers::close() {
  closed_ = true;
  for (sim::Network::BatchId& b : batches_) {
    net_.close_batch(b);
    b = sim::Network::kNoBatch;
  }
}

sim::Network::Channel* OcrPeers::channel(OracleId from, OracleId to) {
  ensure_channels();
  sim::Network::Channel*& ch = channels_[static_cast<std::size_t>(from) * peers_.size() + static_cast<std::size_t>(to)];
  if (!ch) ch = &net_.channel(host(from), host(to));  // a unicast between two oracles of one host
  return ch;
}

void OcrPeers::send(OracleId from, Outgoing out) {
  if (closed_) return;
  const auto type = out.message.index();
  const auto bytes = static_cast<std::uint32_t>(wire_size(out.message, version_));
  if (out.to == kBroadcast) {
    // Every oracle; a newepoch copy its receiver would drop unchanged is accounted on the network but not delivered.
    const auto* ne = std::get_if<NewEpochMsg>(&out.message);
    targets_.clear();
    bool to_self = true;
    const std::size_t n = peers_.size();
    const sim::HostId from_host = host(from);
    ensure_channels();
    if (ne != nullptr && batches_[static_cast<std::size_t>(from)] != sim::Network::kNoBatch) {
      bool all_ignore = true;
      for (std::size_t i = 0; i < n && all_ignore; ++i) all_ignore = ignores_newepoch(static_cast<OracleId>(i), from, ne->epoch);
      if (all_ignore && net_.send_undelivered(batches_[static_cast<std::size_t>(from)], bytes, kinds_[type])) {
        sent_[type] += n;
        return;
      }
    }
    sim::Network::Channel* const* row = &channels_[static_cast<std::size_t>(from) * n];
    for (std::size_t i = 0; i < n; ++i) {
      const auto id = static_cast<OracleId>(i);
      const bool remote = id != from && peers_[i].host != from_host;
      if (ne != nullptr && ignores_newepoch(id, from, ne->epoch)) {
        if (id == from) to_self = false;
        else if (remote) net_.send_undelivered(*row[i], bytes, kinds_[type]);
        continue;
      }
      if (remote) targets_.push_back(row[i]);
    }
    sent_[type] += peers_.size();
    if (!to_self && targets_.empty()) return;  // a resend nobody needs (the usual one)
    auto msg = std::make_shared<const Message>(std::move(out.message));
    if (to_self) deliver_local(from, msg);
    net_.broadcast(targets_, bytes, kinds_[type], [this, from, msg](sim::HostId h) { deliver(h, from, *msg); });
    return;
  }
  ++sent_[type];
  auto msg = std::make_shared<const Message>(std::move(out.message));
  if (out.to == from) {
    deliver_local(from, std::move(msg));
    return;
  }
  const OracleId to = out.to;
  net_.send(*channel(from, to), bytes, kinds_[type],
            [this, from, to, msg] {
              if (!closed_) peers_[static_cast<std::size_t>(to)].receive(from, *msg);
            });
}

}  // namespace models::ocr
