#include "models/feeds/feed_config.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/core.h>

#include "models/providers/price_process.hpp"

namespace models::feeds {

std::string node_name(const FeedConfig& feed, std::size_t i) { return fmt::format("{}/node-{}", feed.name, i); }

std::vector<FeedConfiguration> configurations(const FeedConfig& feed) {
  const std::uint32_t kMax = feed.is_ocr() ? static_cast<std::uint32_t>(ocr::kMaxOracles) : contracts::kMaxOracleCount;
  std::vector<FeedConfiguration> out;
  FeedConfiguration first;
  first.oracles = std::min(feed.oracles, kMax);
  first.ocr = feed.ocr;
  const int n0 = static_cast<int>(first.oracles);
  first.ocr.f = feed.ocr.f >= 0 ? feed.ocr.f : std::max(0, (n0 - 1) / 3);
  for (int i = 0; i < n0; ++i) first.members.push_back(i);
  out.push_back(first);
  int next = n0;
  for (const FeedChange& ch : feed.changes) {
    FeedConfiguration c = out.back();
    const std::size_t k = std::min<std::size_t>(ch.replace, c.members.size());
    c.members.resize(c.members.size() - k);
    for (std::size_t i = 0; i < k; ++i) c.members.push_back(next++);
    const std::uint32_t n = std::min(ch.oracles != 0 ? ch.oracles : c.oracles, kMax);
    if (n != c.oracles) c.ocr.s.clear();  // a schedule is per oracle count: a new count uses one oracle per stage
    while (c.members.size() < n) c.members.push_back(next++);
    c.members.resize(n);
    c.oracles = n;
    if (ch.ocr.f == -1) c.ocr.f = std::max(0, (static_cast<int>(n) - 1) / 3);
    else if (ch.ocr.f >= 0) c.ocr.f = ch.ocr.f;
    auto set = [](sim::Duration& d, sim::Duration v) { if (v.ns() > 0) d = v; };
    set(c.ocr.delta_progress, ch.ocr.delta_progress);
    set(c.ocr.delta_resend, ch.ocr.delta_resend);
    set(c.ocr.delta_round, ch.ocr.delta_round);
    set(c.ocr.delta_grace, ch.ocr.delta_grace);
    set(c.ocr.delta_stage, ch.ocr.delta_stage);
    if (ch.ocr.r_max > 0) c.ocr.r_max = ch.ocr.r_max;
    out.push_back(std::move(c));
  }
  return out;
}

std::uint32_t member_count(const FeedConfig& feed) {
  int most = -1;
  for (const auto& c : configurations(feed))
    for (int m : c.members) most = std::max(most, m);
  return static_cast<std::uint32_t>(std::max(most + 1, static_cast<int>(feed.oracles)));
}

FluxMonitorConfig FeedConfig::monitor_config() const {
  FluxMonitorConfig m;
  m.threshold = deviation;
  m.heartbeat = heartbeat;
  m.poll_interval = flux.poll_interval;
  m.provider_timeout = flux.provider_timeout;
  m.min_quotes = flux.min_quotes;
  m.gas_limit = flux.gas_limit;
  m.decimals = static_cast<int>(decimals);
  return m;
}

contracts::FluxAggregatorConfig FeedConfig::aggregator_config() const {
  contracts::FluxAggregatorConfig a;
  a.min_submissions = flux.min_submissions != 0 ? flux.min_submissions : oracles / 2 + 1;
  a.max_submissions = flux.max_submissions != 0 ? flux.max_submissions : oracles;
  a.restart_delay = flux.restart_delay;
  a.timeout = flux.timeout;
  a.payment_juels = flux.payment;
  a.decimals = decimals;
  return a;
}

sim::ConfigIssues FeedConfig::validate(const std::string& path) const {
  sim::ConfigIssues out;
  if (name.empty()) out.add(path + ".name", "a feed needs a name");
  if (asset.empty()) out.add(path + ".asset", "a feed needs an asset");
  if (aggregation != "flux" && !is_ocr())
    out.add(path + ".aggregation", fmt::format("must be flux, ocr or ocr2 (got '{}')", aggregation));
  if (!(deviation > 0 && deviation < 1)) out.add(path + ".deviation", fmt::format("must be in (0, 1) (got {})", deviation));
  if (heartbeat.ns() <= 0) out.add(path + ".heartbeat", fmt::format("must be > 0 (got {})", heartbeat));
  if (is_ocr()) {
    // .flux.* does not apply; the oracle count and .ocr.* are checked against the OCR limits.
    const sim::ConfigIssues base = validate_ocr_feed(*this, ocr, path);
    out.append(base);
    if (base.empty()) out.append(validate_changes(*this, path));
  } else {
    if (oracles == 0 || oracles > contracts::kMaxOracleCount)
      out.add(path + ".oracles", fmt::format("must be in 1..{} (got {})", contracts::kMaxOracleCount, oracles));
    if (flux.poll_interval.ns() <= 0) out.add(path + ".flux.poll_interval", "must be > 0");
    if (flux.provider_timeout.ns() <= 0) out.add(path + ".flux.provider_timeout", "must be > 0");
    if (flux.min_quotes == 0) out.add(path + ".flux.min_quotes", "must be >= 1");
    if (oracles >= 1 && oracles <= contracts::kMaxOracleCount) {
      // The aggregator's own checks, with its keys mapped to the feed's.
      const sim::ConfigIssues agg = aggregator_config().validate(path + ".flux", oracles);
      for (const auto& i : agg.items())
        if (i.path != path + ".flux.oracles") out.add(i.path, i.message);
      if (agg.empty()) out.append(validate_changes(*this, path));
    }
  }
  std::set<std::string> consumer_names;
  for (std::size_t i = 0; i < consumers.size(); ++i) {
    const std::string cp = fmt::format("{}.consumers[{}]", path, i);
    out.append(consumers[i].validate(cp));
    if (!consumer_names.insert(consumers[i].name).second)
      out.add(cp + ".name", fmt::format("duplicate consumer '{}' (names are unique per feed)", consumers[i].name));
  }
  return out;
}

sim::ConfigIssues validate_changes(const FeedConfig& feed, const std::string& path) {
  sim::ConfigIssues out;
  const auto confs = configurations(feed);
  for (std::size_t j = 0; j < feed.changes.size(); ++j) {
    const FeedChange& ch = feed.changes[j];
    const std::string cp = fmt::format("{}.changes[{}]", path, j);
    const std::uint32_t most = feed.is_ocr() ? static_cast<std::uint32_t>(ocr::kMaxOracles) : contracts::kMaxOracleCount;
    if (ch.at.ns() <= 0) out.add(cp + ".at", fmt::format("must be > 0 (got {})", sim::to_string(ch.at)));
    else if (j > 0 && ch.at <= feed.changes[j - 1].at)
      out.add(cp + ".at", fmt::format("must be after changes[{}].at ({}; got {}): changes are in time order", j - 1,
                                      sim::to_string(feed.changes[j - 1].at), sim::to_string(ch.at)));
    if (ch.oracles > most)
      out.add(cp + ".oracles", fmt::format("{} has 1..{} oracles (got {})", feed.is_ocr() ? "an OCR feed" : "a FluxAggregator",
                                           most, ch.oracles));
    const bool ocr_keys = ch.ocr.f != -2 || ch.ocr.delta_progress.ns() != 0 || ch.ocr.delta_resend.ns() != 0 ||
                          ch.ocr.delta_round.ns() != 0 || ch.ocr.delta_grace.ns() != 0 || ch.ocr.delta_stage.ns() != 0 ||
                          ch.ocr.r_max != 0;
    if (ocr_keys && !feed.is_ocr())
      out.add(cp + ".ocr", "applies to OCR feeds only: a per-node feed's change sets oracles or replace (changeOracles)");
    if (ch.replace > confs[j].oracles)
      out.add(cp + ".replace", fmt::format("replaces {} oracles but the feed has {} before this change", ch.replace, confs[j].oracles));
    if (ch.oracles == 0 && ch.replace == 0 && !ocr_keys) out.add(cp, "changes nothing: set oracles, replace or a key under ocr");
    if (!out.empty()) continue;
    if (!feed.is_ocr()) {
      // changeOracles' updateFutureRounds checks, with min/max submissions and restartDelay resolved for the new count.
      FeedConfig next = feed;
      next.oracles = confs[j + 1].oracles;
      const sim::ConfigIssues rounds = next.aggregator_config().validate(cp + ".flux", next.oracles);
      for (const auto& i : rounds.items())
        out.add(cp + ".oracles", fmt::format("{} oracles after the change: {} ({})", next.oracles, i.message,
                                             i.path.substr(cp.size() + 1)));
      continue;
    }
    // The configuration after the change must be one setConfig accepts and libocr runs.
    FeedConfig next = feed;
    next.oracles = confs[j + 1].oracles;
    next.ocr = confs[j + 1].ocr;
    next.changes.clear();
    const sim::ConfigIssues issues = validate_ocr_feed(next, next.ocr, cp);
    for (const auto& i : issues.items()) {
      // f as before: a count that no longer tolerates it is the oracle count's problem.
      const bool f_key = i.path == cp + ".ocr.f";
      out.add(f_key && ch.ocr.f == -2 ? cp + ".oracles" : i.path,
              f_key && ch.ocr.f == -2 ? i.message + " (f is as before: set ocr.f with the new count)" : i.message);
    }
  }
  return out;
}

ocr::OcrConfig resolve_ocr(const FeedConfig& feed, const OcrSettings& ocr) {
  ocr::OcrConfig c = ocr;
  c.n = static_cast<int>(feed.oracles);
  c.f = ocr.f >= 0 ? ocr.f : std::max(0, (c.n - 1) / 3);
  c.alpha_ppb = static_cast<std::uint64_t>(std::llround(feed.deviation * 1e9));
  c.delta_c = feed.heartbeat;
  c.version = feed.aggregation == "ocr2" ? ocr::OcrVersion::ocr2 : ocr::OcrVersion::ocr1;
  c.alpha_accept_ppb = ocr.alpha_accept < 0 ? c.alpha_ppb : static_cast<std::uint64_t>(std::llround(ocr.alpha_accept * 1e9));
  c.juels_per_fee_coin = static_cast<ocr::Value>(std::llround(ocr.link_per_eth * 1e9)) * 1'000'000'000;
  const int decimals = static_cast<int>(feed.decimals);
  if (ocr.min_price > 0) c.min_answer = providers::to_answer(ocr.min_price, decimals);
  if (ocr.max_price > 0) c.max_answer = providers::to_answer(ocr.max_price, decimals);
  return c;
}

sim::ConfigIssues validate_ocr_feed(const FeedConfig& feed, const OcrSettings& ocr, const std::string& path) {
  sim::ConfigIssues out;
  if (feed.oracles == 0 || feed.oracles > static_cast<std::uint32_t>(ocr::kMaxOracles)) {
    out.add(path + ".oracles", fmt::format("an OCR feed has 1..{} oracles (got {})", ocr::kMaxOracles, feed.oracles));
    return out;
  }
  const double max_price = 1e35 / std::pow(10.0, static_cast<double>(feed.decimals));  // to_answer's range
  for (auto [key, v] : {std::pair{"min_price", ocr.min_price}, std::pair{"max_price", ocr.max_price}})
    if (!(v >= 0 && v <= max_price))
      out.add(path + ".ocr." + key, fmt::format("must be in [0, {:g}] (got {})", max_price, v));
  if (ocr.min_price > 0 && ocr.max_price > 0 && ocr.min_price > ocr.max_price)
    out.add(path + ".ocr.min_price", fmt::format("must be <= max_price (got {} > {})", ocr.min_price, ocr.max_price));
  if (!(ocr.link_per_eth >= 0 && ocr.link_per_eth <= 1e9))
    out.add(path + ".ocr.link_per_eth", fmt::format("must be in [0, 1e9] LINK per ETH (got {})", ocr.link_per_eth));
  if (!(ocr.alpha_accept == -1 || (ocr.alpha_accept >= 0 && ocr.alpha_accept <= 1000)))
    out.add(path + ".ocr.alpha_accept", fmt::format("must be in [0, 1000] or -1 (got {})", ocr.alpha_accept));
  if (!out.empty()) return out;  // resolve_ocr needs these in range
  const ocr::OcrConfig c = resolve_ocr(feed, ocr);
  if (c.n <= 3 * c.f)
    out.add(path + ".ocr.f", fmt::format("OCR needs n > 3f: {} oracles tolerate at most f = {} (got f = {})", c.n,
                                         (c.n - 1) / 3, c.f));
  else if (c.version == ocr::OcrVersion::ocr2 && c.f < 1)
    out.add(c.n < 4 ? path + ".oracles" : path + ".ocr.f",
            fmt::format("OCR2 needs f >= 1 (OCR2Aggregator.setConfig), so at least 4 oracles (got {} oracles, f = {})", c.n, c.f));
  if (ocr.contract_confirmations == 0)
    out.add(path + ".ocr.contract_confirmations", "must be >= 1 (the block that holds the ConfigSet counts as one)");
  if (ocr.config_check.ns() <= 0) out.add(path + ".ocr.config_check", fmt::format("must be > 0 (got {})", ocr.config_check));
  const sim::ConfigIssues protocol = ocr::validate(c, path + ".ocr");
  for (const auto& i : protocol.items()) {
    if (i.path == path + ".ocr.n") continue;                 // reported under .oracles above
    if (i.path == path + ".ocr.f" && (c.n <= 3 * c.f || c.f < 1)) continue;  // reported above
    out.add(i.path, i.message);
  }
  if (ocr.observe_timeout.ns() <= 0)
    out.add(path + ".ocr.observe_timeout", fmt::format("must be > 0 (got {})", ocr.observe_timeout));
  if (ocr.observe_poll.ns() <= 0) out.add(path + ".ocr.observe_poll", fmt::format("must be > 0 (got {})", ocr.observe_poll));
  if (ocr.observe_max_age.ns() <= 0)
    out.add(path + ".ocr.observe_max_age", fmt::format("must be > 0 (got {})", ocr.observe_max_age));
  return out;
}

OcrChainMinimums ocr_chain_minimums(chain::ChainPreset preset) {
  using sim::Duration;
  if (preset == chain::ChainPreset::fast)
    return {Duration::nanoseconds(10'000'000'000), Duration::nanoseconds(5'000'000'000), Duration::nanoseconds(5'000'000'000),
            Duration::nanoseconds(8'000'000'000), Duration::nanoseconds(5'000'000'000)};
  return {Duration::nanoseconds(600'000'000'000), Duration::nanoseconds(10'000'000'000), Duration::nanoseconds(20'000'000'000),
          Duration::nanoseconds(23'000'000'000), Duration::nanoseconds(10'000'000'000)};
}

sim::ConfigIssues check_ocr_chain_minimums(const FeedConfig& feed, chain::ChainPreset preset, const std::string& path) {
  sim::ConfigIssues out;
  if (feed.aggregation != "ocr" || feed.ocr.allow_below_chain_minimums) return out;  // OCR2: none in libocr
  const OcrChainMinimums m = ocr_chain_minimums(preset);
  const char* chain = preset == chain::ChainPreset::fast ? "a fast chain (chain.preset: fast)" : "Ethereum (chain.preset: ethereum)";
  auto check = [&](const std::string& key, sim::Duration value, sim::Duration min, const char* name) {
    if (value < min)
      out.add(path + "." + key, fmt::format("{} {} is below the minimum {} on {} (libocr public_config.go); set "
                                            "ocr.allow_below_chain_minimums: true to study it anyway",
                                            name, sim::to_string(value), sim::to_string(min), chain));
  };
  check("heartbeat", feed.heartbeat, m.delta_c, "DeltaC (the heartbeat)");
  check("ocr.delta_stage", feed.ocr.delta_stage, m.delta_stage, "DeltaStage");
  check("ocr.delta_round", feed.ocr.delta_round, m.delta_round, "DeltaRound");
  check("ocr.delta_progress", feed.ocr.delta_progress, m.delta_progress, "DeltaProgress");
  check("ocr.delta_resend", feed.ocr.delta_resend, m.delta_resend, "DeltaResend");
  return out;
}

}  // namespace models::feeds
