#include "models/request/direct_request_job.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <memory>

#include <fmt/core.h>

namespace models::request {

sim::ConfigIssues DirectRequestJobConfig::validate(const std::string& path) const {
  sim::ConfigIssues out;
  if (min_incoming_confirmations == 0) out.add(path + ".min_incoming_confirmations", "must be >= 1");
  if (http_timeout.ns() <= 0) out.add(path + ".http_timeout", "must be > 0");
  if (retry_backoff.ns() < 0) out.add(path + ".retry_backoff", "must be >= 0");
  if (gas_limit < contracts::kMinimumConsumerGas)
    out.add(path + ".gas_limit", fmt::format("must leave the consumer 400,000 gas (>= {}), got {}",
                                             contracts::kMinimumConsumerGas, gas_limit));
  return out;
}

std::optional<std::int64_t> parse_times(const contracts::RequestData& data) {
  const std::string* s = data.find("times");
  if (s == nullptr) return 1;
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc{} || p != s->data() + s->size()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> multiply(double price, std::int64_t times) {
  const double v = std::round(price * static_cast<double>(times));
  if (!std::isfinite(v) || std::fabs(v) >= 9.2e18) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

const char* to_string(RunFailure f) {
  switch (f) {
    case RunFailure::below_min_payment: return "below_min_payment";
    case RunFailure::not_pending: return "not_pending";
    case RunFailure::unknown_source: return "unknown_source";
    case RunFailure::bad_params: return "bad_params";
    case RunFailure::http_failed: return "http_failed";
    case RunFailure::send_failed: return "send_failed";
  }
  return "?";
}

DirectRequestJob::DirectRequestJob(sim::Simulation& sim, chain::Chain& chain, node::ChainlinkNode& node,
                                   chain::Address operator_address, std::uint64_t spec_id,
                                   std::map<std::string, providers::DataProvider*> providers,
                                   const DirectRequestJobConfig& cfg, std::string name)
    : sim_(sim), chain_(chain), node_(node), operator_(operator_address), spec_id_(spec_id),
      providers_(std::move(providers)), cfg_(cfg), name_(std::move(name)), tracker_(cfg.min_incoming_confirmations) {
  const auto issues = cfg_.validate(name_);
  if (!issues.empty()) throw std::invalid_argument(fmt::format("invalid direct request job config: {}: {}",
                                                               issues.items().front().path, issues.items().front().message));
  log_conn_ = chain_.log_emitted.connect([this](const chain::Log& l, const chain::Receipt& r) { on_log(l, r); });
  block_conn_ = chain_.block_produced.connect([this](const chain::Block& b) { on_block(b); });
  reorg_conn_ = chain_.reorged.connect([this](const chain::Reorg& rg) { tracker_.on_reorg(rg.common_ancestor); });
}

void DirectRequestJob::on_log(const chain::Log& log, const chain::Receipt& r) {
  if (log.emitter != operator_ || log.event != "OracleRequest") return;
  const auto* ev = std::any_cast<contracts::OracleRequestEvent>(&log.payload);
  if (ev == nullptr || ev->spec_id != spec_id_) return;
  if (ev->payment < cfg_.min_contract_payment) {
    if (!tracker_.started(ev->request_id)) fail(*ev, RunFailure::below_min_payment);
    return;
  }
  tracker_.on_log(*ev, r.block_number);
}

void DirectRequestJob::on_block(const chain::Block& b) {
  if (control_ != nullptr && !control_->admit()) return;  // a crashed node handles nothing (counted as the effect)
  if (!node_.up()) return;
  for (const auto& ev : tracker_.take_ready(b.number)) run(ev);
}

void DirectRequestJob::fail(const contracts::OracleRequestEvent& ev, RunFailure f) {
  run_failed.emit(sim_.now(), ev.request_id, f);
}

void DirectRequestJob::run(const contracts::OracleRequestEvent& ev) {
  ++started_;
  run_started.emit(sim_.now(), ev.request_id);
  const auto* op = chain_.contract<contracts::Operator>(operator_);
  if (op == nullptr || !op->pending(ev.request_id)) return fail(ev, RunFailure::not_pending);
  const std::string* get = ev.data.find("get");
  const auto it = get == nullptr ? providers_.end() : providers_.find(*get);
  if (it == providers_.end()) return fail(ev, RunFailure::unknown_source);
  if (!parse_times(ev.data)) return fail(ev, RunFailure::bad_params);
  fetch(ev, it->second, 0);
}

void DirectRequestJob::fetch(const contracts::OracleRequestEvent& ev, providers::DataProvider* p, std::uint32_t attempt) {
  if (!node_.up()) return;
  struct Attempt {
    bool done = false;
    sim::EventHandle timeout;
  };
  auto a = std::make_shared<Attempt>();
  auto retry_or_fail = [this, ev, p, attempt] {
    if (attempt < cfg_.http_retries) {
      sim_.after(cfg_.retry_backoff, [this, ev, p, attempt] { fetch(ev, p, attempt + 1); }, "request/http-retry");
    } else {
      fail(ev, RunFailure::http_failed);
    }
  };
  a->timeout = sim_.after(cfg_.http_timeout, [a, retry_or_fail] {
    if (a->done) return;
    a->done = true;
    retry_or_fail();
  }, "request/http-timeout");
  p->query([this, a, ev, retry_or_fail](const providers::Quote& q) {
    if (a->done) return;
    a->done = true;
    a->timeout.cancel();
    if (!node_.up()) return;
    if (!q.ok) return retry_or_fail();
    const auto value = multiply(q.price, *parse_times(ev.data));
    if (!value) return fail(ev, RunFailure::bad_params);
    send(ev, *value);
  });
}

void DirectRequestJob::send(const contracts::OracleRequestEvent& ev, std::int64_t value) {
  const contracts::OracleResponse resp{value, 32};
  const bool multiword = ev.data_version >= 2;
  node::TxRequest req{
      .to = operator_,
      .gas_limit = cfg_.gas_limit,
      .calldata = contracts::Operator::fulfill_calldata(resp, multiword),
      .call = [ev, resp, multiword](chain::ExecContext& c) {
        c.self_as<contracts::Operator>().fulfill_oracle_request(c, ev.request_id, ev.payment, ev.callback_address,
                                                                ev.callback_function_id, ev.cancel_expiration, resp, multiword);
      },
      .label = "request/fulfill"};
  const contracts::RequestId id = ev.request_id;
  const bool ok = node_.txm().send(std::move(req), [this, id](const chain::Receipt& r) { fulfilment_included.emit(id, r); });
  if (ok) ++sent_;
  else fail(ev, RunFailure::send_failed);
}

}  // namespace models::request
