#include "analysis/streams_collector.hpp"

#include "analysis/subsystems.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <set>
#include <stdexcept>

namespace analysis {

StreamsCollector::StreamsCollector(sim::Simulation& sim, models::streams::StreamsPart& world, sim::Time begin,
                                   sim::Duration settle)
    : sim_(sim), world_(world), begin_(begin) {
  using models::streams::SignedReport;
  using models::streams::StreamsClient;
  for (std::size_t i = 0; i < world_.client_count(); ++i) {
    const auto& feeds = world_.client_feeds(i);
    clients_.emplace_back(std::set<models::streams::FeedId>(feeds.begin(), feeds.end()), settle);
    clients_.back().begin(begin_);
  }
  trades_.begin(begin_);
  conns_.push_back(world_.tx_included.connect([this](const models::chain::Receipt& r) {
    gas_.emplace_back(r.block_time, static_cast<double>(r.gas_used));
  }));
  conns_.push_back(world_.don().attested.connect([this](const SignedReport& r) {
    if (r.observed_at >= begin_) ++reports_;
    for (auto& c : clients_) c.on_produced(r);
  }));
  for (std::size_t i = 0; i < world_.client_count(); ++i) {
    StreamsClient& client = world_.client(i);
    StreamsClientMetrics* m = &clients_[i];
    conns_.push_back(client.accepted.connect([this, m](const SignedReport& r, StreamsClient::Source s) {
      if (s == StreamsClient::Source::stream)
        m->on_stream(r, sim_.now());
      else
        m->on_backfill(r, sim_.now());
    }));
    conns_.push_back(client.duplicate_dropped.connect([this, m](const SignedReport&) { m->on_duplicate(sim_.now()); }));
    conns_.push_back(client.socket_state.connect([this, m](std::size_t, bool up) { m->on_socket(up, sim_.now()); }));
  }
  if (auto* trade = world_.trade()) {
    models::providers::TruePrice* truth = world_.true_price_of(world_.config().trade.feed);
    if (truth != nullptr)
      conns_.push_back(truth->changed.connect([this](sim::Time t, double p) { truth_.emplace_back(t, p); }));
    conns_.push_back(trade->trader().trade_executed.connect([this, truth](const models::streams::TradeExecution& t) {
      // Emitted while the executing block is produced: the true price now is the price at execution.
      const bool streams = t.kind == models::streams::TradeKind::streams;
      const double now = truth ? truth->price() : 0.0;
      const double at_report = streams ? true_price_at(sim::Time::from_seconds(t.price_timestamp))
                                       : std::numeric_limits<double>::quiet_NaN();
      const double blocks = streams ? static_cast<double>(t.executed_block) - static_cast<double>(t.trigger_block)
                                    : std::numeric_limits<double>::quiet_NaN();
      trades_.on_trade(streams, t.requested_at, t.executed_at, t.price, now, at_report, streams ? t.verify_gas : 0, blocks);
    }));
    conns_.push_back(trade->don().event.connect([this](const models::streams::AutomationEvent& e) {
      if (e.what != "not_needed") trades_.on_automation_failure(e.at);
    }));
  }
}

double StreamsCollector::true_price_at(sim::Time t) const {
  // The last change at or before t (changes are in time order).
  auto it = std::upper_bound(truth_.begin(), truth_.end(), t,
                             [](sim::Time x, const std::pair<sim::Time, double>& c) { return x < c.first; });
  return it == truth_.begin() ? std::numeric_limits<double>::quiet_NaN() : std::prev(it)->second;
}

void StreamsCollector::begin_measurement(sim::Time t) {
  rounds_at_begin_ = world_.don().rounds();
  answered_503_at_begin_ = world_.aggregation().answered_503();
  begin_ = t;
  for (auto& c : clients_) c.begin(t);
  trades_.begin(t);
}

void StreamsCollector::finish(sim::Time end, MetricSet& out) {
  for (std::size_t i = 0; i < clients_.size(); ++i) clients_[i].finish(end, out, world_.config().clients[i].name + ".");
  out.set("streams_reports", static_cast<double>(reports_));
  double gas = 0;
  for (const auto& [t, g] : gas_)
    if (t >= begin_ && t < end) gas += g;
  out.set("streams_gas_total", gas);
  out.set("don_rounds", static_cast<double>(world_.don().rounds() - rounds_at_begin_));
  out.set("lb_answered_503", static_cast<double>(world_.aggregation().answered_503() - answered_503_at_begin_));
  if (auto* trade = world_.trade()) {
    trades_.finish(end, trade->trader().awaiting(), out);
    out.set("automation_lookups", static_cast<double>(trade->don().lookups()));
  }
  if (!world_.verifier().fee_manager.is_zero()) {
    const models::streams::FeeAudit a =
        models::streams::audit_fees(world_.env().chain().contracts(), world_.verifier().fee_manager);
    if (!a.problem.empty()) throw std::logic_error("streams fee books do not balance at run end: " + a.problem);
    const auto tokens = [](models::chain::Amount v) { return static_cast<double>(v) / 1e18; };
    out.set("fee_link_rewards_due", tokens(a.rewards_due));
    out.set("fee_link_paid_out", tokens(a.paid_out));
    out.set("fee_link_held", tokens(a.held));
    out.set("fee_link_deficit", tokens(a.deficit));
    out.set("fee_native_collected", tokens(a.native_fees));
  }
}

void streams_collectors(models::world::Part& part, const RunContext& run, std::vector<std::unique_ptr<Collector>>& out) {
  out.push_back(std::make_unique<StreamsCollector>(run.world.simulation(), dynamic_cast<models::streams::StreamsPart&>(part),
                                                   run.warmup_end));
}

}  // namespace analysis
