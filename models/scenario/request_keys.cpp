// The `requests:` block: the basic request model (models/request/request_scenario.hpp).
#include "models/scenario/scenario_keys.hpp"

namespace models::scenario {

void register_request_keys(Block<ScenarioConfig>& root) {
  using request::ConsumerSetup;
  using request::OperatorSetup;
  using request::RequestEpisode;
  using request::RequestsConfig;
  auto r = root.block("requests", &ScenarioConfig::requests,
                      "basic request model: LINK, Operator, ChainlinkClient consumers, direct-request jobs (models/request)");
  r.key("enabled", &RequestsConfig::enabled, KeySpec::boolean().doc("build the request model").from("-"));
  r.key("price_start", &RequestsConfig::price_start,
        KeySpec::number().greater_than(0).in("USD").doc("initial ETH/USD price the APIs quote").from("assumption"));
  r.key("price_volatility", &RequestsConfig::price_volatility,
        KeySpec::number().at_least(0).doc("annualised volatility of that price").from("assumption"));
  r.key("link_eth", &RequestsConfig::link_eth,
        KeySpec::number().greater_than(0).in("ETH per LINK").doc("LINK price for node_profit_link").from("assumption"));

  auto p = r.list("providers", &RequestsConfig::providers, "the APIs a request's `get` names (default: one exchange-a)");
  p.key("name", &providers::ProviderConfig::name, KeySpec::text().required().doc("provider name (the request's get)").from("-"));
  p.key("noise", &providers::ProviderConfig::noise,
        KeySpec::fraction().doc("sd of the multiplicative quote noise").from("assumption"));
  p.key("error_rate", &providers::ProviderConfig::error_rate,
        KeySpec::fraction().doc("probability a query fails").from("assumption"));
  p.key("rate_limit", &providers::ProviderConfig::rate_limit,
        KeySpec::number().at_least(0).in("requests/s").doc("token-bucket limit (0: none)").from("assumption"));

  auto o = r.list("operators", &RequestsConfig::operators, "Operator contracts, each with one node running the job (default: one)");
  o.key("name", &OperatorSetup::name, KeySpec::text().required().doc("operator name; its node is <name>/node").from("-"));
  o.key("job_id", &OperatorSetup::job_id, KeySpec::text().doc("external job id its node serves").from("-"));
  auto j = o.block("job", &OperatorSetup::job, "the direct-request job");
  j.key("min_incoming_confirmations", &request::DirectRequestJobConfig::min_incoming_confirmations,
        KeySpec::integer().at_least(1).in("blocks").doc("confirmations before acting on a request").from("facts §3"));
  j.key("http_timeout", &request::DirectRequestJobConfig::http_timeout,
        KeySpec::duration().greater_than(0).doc("per HTTP attempt").from("assumption"));
  j.key("http_retries", &request::DirectRequestJobConfig::http_retries,
        KeySpec::integer().at_least(0).doc("extra HTTP attempts").from("assumption"));
  j.key("gas_limit", &request::DirectRequestJobConfig::gas_limit,
        KeySpec::integer().at_least(400'000).in("gas").doc("fulfilment tx gas limit").from("assumption"));

  auto c = r.list("consumers", &RequestsConfig::consumers, "ChainlinkClient consumers (default: one)");
  c.key("name", &ConsumerSetup::name, KeySpec::text().required().doc("consumer name").from("-"));
  c.key("link_funding", &ConsumerSetup::link_funding, KeySpec::integer().at_least(0).in("LINK").doc("LINK minted to it").from("assumption"));
  c.key("revert_callbacks", &ConsumerSetup::revert_callbacks, KeySpec::boolean().doc("its callback always reverts").from("-"));
  c.key("operators", &ConsumerSetup::operators, KeySpec::text_list().doc("operators it uses in turn (empty: all)").from("-"));
  auto q = c.block("request", &ConsumerSetup::request, "what it requests and how often");
  q.key("fee", &request::RequestConsumerConfig::fee, KeySpec::token_amount("LINK").greater_than(0).doc("payment per request").from("facts §3"));
  q.key("job_id", &request::RequestConsumerConfig::job_id, KeySpec::text().doc("job spec id").from("-"));
  q.key("get", &request::RequestConsumerConfig::get, KeySpec::text().doc("provider the job queries").from("-"));
  q.key("path", &request::RequestConsumerConfig::path, KeySpec::text().doc("json path (recorded)").from("-"));
  q.key("times", &request::RequestConsumerConfig::times, KeySpec::integer().doc("multiplier of the price").from("-"));
  q.key("cancel_expired", &request::RequestConsumerConfig::cancel_expired, KeySpec::boolean().doc("cancel expired requests for a refund").from("-"));
  auto a = q.block("arrivals", &request::RequestConsumerConfig::arrivals, "request arrivals");
  a.key_enum("kind", &request::ArrivalConfig::kind,
             {{"poisson", request::ArrivalConfig::Kind::poisson}, {"burst", request::ArrivalConfig::Kind::burst}},
             KeySpec::choice({}).doc("Poisson with a rate, or bursts").from("-"));
  a.key("rate_per_hour", &request::ArrivalConfig::rate_per_hour, KeySpec::number().at_least(0).in("requests/h").doc("poisson rate").from("assumption"));
  a.key("burst_interval", &request::ArrivalConfig::burst_interval, KeySpec::duration().greater_than(0).doc("time between bursts").from("assumption"));
  a.key("burst_size", &request::ArrivalConfig::burst_size, KeySpec::integer().at_least(1).doc("requests per burst").from("assumption"));
  a.key("start", &request::ArrivalConfig::start, KeySpec::duration().at_least(0).doc("earliest arrival").from("assumption"));

  auto e = r.list("episodes", &RequestsConfig::episodes, "timed stress: congestion, node_down, api_outage");
  e.key_enum("kind", &RequestEpisode::kind,
             {{"congestion", RequestEpisode::Kind::congestion}, {"node_down", RequestEpisode::Kind::node_down},
              {"api_outage", RequestEpisode::Kind::api_outage}},
             KeySpec::choice({}).doc("what happens").from("-"));
  e.key("target", &RequestEpisode::target, KeySpec::text().doc("operator (node_down) or provider (api_outage)").from("-"));
  e.key("at", &RequestEpisode::at, KeySpec::duration().at_least(0).doc("start time").from("-"));
  e.key("duration", &RequestEpisode::duration, KeySpec::duration().greater_than(0).doc("how long").from("-"));
  e.key("multiplier", &RequestEpisode::multiplier, KeySpec::number().greater_than(0).doc("congestion demand factor").from("assumption"));

  r.validate([](const RequestsConfig& cfg, const std::string& path, sim::ConfigIssues& out) { out.append(cfg.validate(path)); });
}

}  // namespace models::scenario
