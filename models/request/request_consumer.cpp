#include "models/request/request_consumer.hpp"

#include <fmt/core.h>

#include "models/request/chainlink_client.hpp"
#include "sim/distributions.hpp"
#include "sim/hash.hpp"

namespace models::request {

sim::ConfigIssues RequestConsumerConfig::validate(const std::string& p) const {
  sim::ConfigIssues out;
  if (arrivals.kind == ArrivalConfig::Kind::poisson && !(arrivals.rate_per_hour >= 0))
    out.add(p + ".arrivals.rate_per_hour", "must be >= 0");
  if (arrivals.kind == ArrivalConfig::Kind::burst) {
    if (arrivals.burst_interval.ns() <= 0) out.add(p + ".arrivals.burst_interval", "must be > 0");
    if (arrivals.burst_size == 0) out.add(p + ".arrivals.burst_size", "must be >= 1");
  }
  if (arrivals.start.ns() < 0) out.add(p + ".arrivals.start", "must be >= 0");
  if (fee == 0) out.add(p + ".fee", "must be > 0");
  if (job_id.empty()) out.add(p + ".job_id", "must not be empty");
  if (get.empty()) out.add(p + ".get", "must name a provider");
  if (times == 0) out.add(p + ".times", "must not be 0");
  if (request_gas_limit < 100'000) out.add(p + ".request_gas_limit", "must be >= 100,000 (a request costs ~150,000)");
  if (cancel_gas_limit < 60'000) out.add(p + ".cancel_gas_limit", "must be >= 60,000");
  return out;
}

std::uint64_t spec_id_of(const std::string& job_id) { return sim::fnv1a64(job_id); }

RequestConsumer::RequestConsumer(sim::Simulation& sim, chain::Chain& chain, std::string name, chain::Address client,
                                 node::TxManager& wallet, std::vector<chain::Address> operators,
                                 const RequestConsumerConfig& cfg)
    : sim_(sim), chain_(chain), name_(std::move(name)), client_(client), wallet_(wallet), operators_(std::move(operators)),
      cfg_(cfg), spec_id_(spec_id_of(cfg.job_id)), rng_(sim.stream("request/" + name_ + "/arrivals")),
      arrival_timer_(sim, [this] {
        const std::uint32_t n = cfg_.arrivals.kind == ArrivalConfig::Kind::burst ? cfg_.arrivals.burst_size : 1;
        for (std::uint32_t i = 0; i < n; ++i) send_request();
        schedule_next();
      }, "request/arrival") {
  if (operators_.empty()) throw std::invalid_argument("RequestConsumer " + name_ + ": needs at least one operator");
  const auto issues = cfg_.validate(name_);
  if (!issues.empty())
    throw std::invalid_argument(fmt::format("invalid request consumer config: {}: {}", issues.items().front().path,
                                            issues.items().front().message));
  log_conn_ = chain_.log_emitted.connect([this](const chain::Log& l, const chain::Receipt& r) { on_log(l, r); });
  block_conn_ = chain_.block_produced.connect([this](const chain::Block& b) { on_block(b); });
}

void RequestConsumer::start() {
  if (cfg_.arrivals.kind == ArrivalConfig::Kind::burst) {
    arrival_timer_.arm(cfg_.arrivals.start);
    return;
  }
  if (cfg_.arrivals.rate_per_hour <= 0) return;
  arrival_timer_.arm(cfg_.arrivals.start + sim::Duration::from_seconds(sim::exponential(rng_, 3600.0 / cfg_.arrivals.rate_per_hour)));
}

void RequestConsumer::schedule_next() {
  if (cfg_.arrivals.kind == ArrivalConfig::Kind::burst) return arrival_timer_.arm(cfg_.arrivals.burst_interval);
  arrival_timer_.arm(sim::Duration::from_seconds(sim::exponential(rng_, 3600.0 / cfg_.arrivals.rate_per_hour)));
}

void RequestConsumer::send_request() {
  ++arrivals_;
  const sim::Time arrived = sim_.now();
  const chain::Address op = operators_[next_operator_++ % operators_.size()];
  contracts::RequestData data{{{"get", cfg_.get}, {"path", cfg_.path}, {"times", std::to_string(cfg_.times)}}};
  const std::uint64_t spec = spec_id_;
  const contracts::Juels fee = cfg_.fee;
  node::TxRequest req{.to = client_,
                      .gas_limit = cfg_.request_gas_limit,
                      .calldata = ChainlinkClient::request_calldata(data),
                      .call = [op, spec, data, fee](chain::ExecContext& c) {
                        c.self_as<ChainlinkClient>().request(c, op, spec, data, fee);
                      },
                      .label = "request/request"};
  const bool ok = wallet_.send(std::move(req), [this, arrived](const chain::Receipt& r) {
    if (r.status != chain::TxStatus::success) return tx_failed.emit(name_, r.label, r.revert_reason);
    for (const auto& l : r.logs) {
      const auto* ev = std::any_cast<contracts::OracleRequestEvent>(&l.payload);
      if (ev == nullptr || ev->requester != client_) continue;
      auto [it, fresh] = pending_.try_emplace(ev->request_id);
      it->second.arrived = arrived;
      it->second.expiration = ev->cancel_expiration;
      it->second.payment = ev->payment;
      it->second.operator_address = l.emitter;
      if (fresh) request_included.emit(name_, ev->request_id, r);
    }
  });
  if (!ok) tx_failed.emit(name_, "request/request", "rejected");
}

void RequestConsumer::on_log(const chain::Log& log, const chain::Receipt& r) {
  if (log.event != "OracleResponse") return;
  const auto* ev = std::any_cast<contracts::OracleResponseEvent>(&log.payload);
  if (ev == nullptr) return;
  const auto it = pending_.find(ev->request_id);
  if (it == pending_.end() || it->second.operator_address != log.emitter) return;
  const sim::Duration latency = r.block_time - it->second.arrived;
  const contracts::Juels payment = it->second.payment;
  pending_.erase(it);
  fulfilled.emit(name_, ev->request_id, latency, ev->callback_ok, payment, r);
}

void RequestConsumer::on_block(const chain::Block& b) {
  for (auto& [id, p] : pending_) {
    if (p.cancel_sent || p.expiration > b.timestamp) continue;
    p.cancel_sent = true;
    expired.emit(name_, id);
    if (!cfg_.cancel_expired) continue;
    const contracts::RequestId rid = id;
    const contracts::Juels payment = p.payment;
    const sim::Time expiration = p.expiration;
    node::TxRequest req{.to = client_,
                        .gas_limit = cfg_.cancel_gas_limit,
                        .calldata = ChainlinkClient::cancel_calldata(),
                        .call = [rid, payment, expiration](chain::ExecContext& c) {
                          c.self_as<ChainlinkClient>().cancel(c, rid, payment, expiration);
                        },
                        .label = "request/cancel"};
    const bool ok = wallet_.send(std::move(req), [this, rid, payment](const chain::Receipt& r) {
      if (r.status != chain::TxStatus::success) return tx_failed.emit(name_, r.label, r.revert_reason);
      if (pending_.erase(rid) != 0) cancelled.emit(name_, rid, payment, r);
    });
    if (!ok) tx_failed.emit(name_, "request/cancel", "rejected");
  }
}

}  // namespace models::request
