// The `requests:` block: the basic request model (models/request/requests_subsystem.hpp).
#include "models/request/requests_subsystem.hpp"
#include "models/scenario/node_keys.hpp"

namespace models::request {

using scenario::KeySpec;
using scenario::ScenarioConfig;

void register_keys(scenario::Block<ScenarioConfig>& root) {
  auto r = root.block_in<RequestsConfig>(
      "requests", "basic request model: LINK, Operator, ChainlinkClient consumers, direct-request jobs (models/request)",
      [](ScenarioConfig& c) -> RequestsConfig& { return requests_of(c); });
  r.key("enabled", &RequestsConfig::enabled, KeySpec::boolean().doc("build the request model").from("-"));
  r.key("link_eth", &RequestsConfig::link_eth,
        KeySpec::number().greater_than(0).in("ETH per LINK").doc("LINK price for node_profit_link").from("assumption"));
  // The request model reads the shared world: the old block-local price, APIs and stress keys are gone.
  r.removed("price_start", "the APIs quote a top-level asset; write `assets: [{name: ETH/USD, process: {start: 3000}}]`");
  r.removed("price_volatility",
            "the APIs quote a top-level asset; write `assets: [{name: ETH/USD, process: {volatility: 80%}}]`");
  r.removed("providers", "a request's `get` names a top-level provider; move each entry to `providers:` with "
                         "`asset: ETH/USD`, e.g. `providers: [{name: exchange-a, asset: ETH/USD, error_rate: 1%}]`");
  r.removed("episodes", "stress is an ordinary fault; write under `faults:` `{kind: congestion, at: 40m, duration: 20m, "
                        "multiplier: 4}`, `{kind: crash, target: operator-0/node, at: 80m, duration: 10m}` or "
                        "`{kind: outage, target: exchange-b, at: 120m, duration: 15m}`");

  auto o = r.list("operators", &RequestsConfig::operators, "Operator contracts, each with one node running the job (default: one)");
  o.key("name", &OperatorSetup::name, KeySpec::text().required().doc("operator name; its node is <name>/node").from("-"));
  o.key("job_id", &OperatorSetup::job_id, KeySpec::text().doc("external job id its node serves").from("-"));
  auto on = o.block("node", &OperatorSetup::node_override, "its node: keys that differ from the run's `nodes:`");
  scenario::register_node_keys(on);
  auto j = o.block("job", &OperatorSetup::job, "the direct-request job");
  j.key("min_incoming_confirmations", &DirectRequestJobConfig::min_incoming_confirmations,
        KeySpec::integer().at_least(1).in("blocks").doc("confirmations before acting on a request").from("facts §3"));
  j.key("http_timeout", &DirectRequestJobConfig::http_timeout,
        KeySpec::duration().greater_than(0).doc("per HTTP attempt").from("assumption"));
  j.key("http_retries", &DirectRequestJobConfig::http_retries,
        KeySpec::integer().at_least(0).doc("extra HTTP attempts").from("assumption"));
  j.key("gas_limit", &DirectRequestJobConfig::gas_limit,
        KeySpec::integer().at_least(400'000).in("gas").doc("fulfilment tx gas limit").from("assumption"));

  auto c = r.list("consumers", &RequestsConfig::consumers, "ChainlinkClient consumers (default: one)");
  c.key("name", &ConsumerSetup::name, KeySpec::text().required().doc("consumer name").from("-"));
  c.key("link_funding", &ConsumerSetup::link_funding, KeySpec::integer().at_least(0).in("LINK").doc("LINK minted to it").from("assumption"));
  c.key("revert_callbacks", &ConsumerSetup::revert_callbacks, KeySpec::boolean().doc("its callback always reverts").from("-"));
  c.key("operators", &ConsumerSetup::operators, KeySpec::text_list().doc("operators it uses in turn (empty: all)").from("-"));
  auto q = c.block("request", &ConsumerSetup::request, "what it requests and how often");
  q.key("fee", &RequestConsumerConfig::fee, KeySpec::token_amount("LINK").greater_than(0).doc("payment per request").from("facts §3"));
  q.key("job_id", &RequestConsumerConfig::job_id, KeySpec::text().doc("job spec id").from("-"));
  q.key("get", &RequestConsumerConfig::get, KeySpec::text().doc("top-level provider the job queries").from("-"));
  q.key("path", &RequestConsumerConfig::path, KeySpec::text().doc("json path (recorded)").from("-"));
  q.key("times", &RequestConsumerConfig::times, KeySpec::integer().doc("multiplier of the price").from("-"));
  q.key("cancel_expired", &RequestConsumerConfig::cancel_expired, KeySpec::boolean().doc("cancel expired requests for a refund").from("-"));
  auto a = q.block("arrivals", &RequestConsumerConfig::arrivals, "request arrivals");
  a.key_enum("kind", &ArrivalConfig::kind,
             {{"poisson", ArrivalConfig::Kind::poisson}, {"burst", ArrivalConfig::Kind::burst}},
             KeySpec::choice({}).doc("Poisson with a rate, or bursts").from("-"));
  a.key("rate_per_hour", &ArrivalConfig::rate_per_hour, KeySpec::number().at_least(0).in("requests/h").doc("poisson rate").from("assumption"));
  a.key("burst_interval", &ArrivalConfig::burst_interval, KeySpec::duration().greater_than(0).doc("time between bursts").from("assumption"));
  a.key("burst_size", &ArrivalConfig::burst_size, KeySpec::integer().at_least(1).doc("requests per burst").from("assumption"));
  a.key("start", &ArrivalConfig::start, KeySpec::duration().at_least(0).doc("earliest arrival").from("assumption"));

  root.validate([](const ScenarioConfig& c, const std::string&, sim::ConfigIssues& out) {
    out.append(requests_of(c).validate(c.providers, "requests", c.nodes));
  });
}

}  // namespace models::request
