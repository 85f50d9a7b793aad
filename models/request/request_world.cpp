#include "models/request/request_world.hpp"

#include <set>
#include <stdexcept>

#include <fmt/core.h>

namespace models::request {
namespace {
constexpr contracts::Juels kJuelsPerLink = 1'000'000'000'000'000'000ULL;
std::string juels(contracts::Juels v) { return chain::to_string_amount(v); }
}  // namespace

sim::ConfigIssues RequestWorldConfig::validate(const std::string& path) const {
  sim::ConfigIssues out = chain::validate(chain, "chain");
  std::set<std::string> assets_seen, providers_seen, operators_seen, consumers_seen;
  if (assets.empty()) out.add("assets", "needs at least one asset");
  for (const auto& a : assets)
    if (!assets_seen.insert(a.name).second) out.add("assets", "asset " + a.name + " listed twice");
  for (std::size_t i = 0; i < providers.size(); ++i) {
    const auto& p = providers[i];
    const std::string pp = fmt::format("providers[{}]", i);
    out.append(p.validate(pp));
    if (!providers_seen.insert(p.name).second) out.add(pp + ".name", "provider " + p.name + " listed twice");
    if (assets_seen.count(p.asset) == 0) out.add(pp + ".asset", "unknown asset " + p.asset);
  }
  if (operators.empty()) out.add(path + ".operators", "needs at least one operator");
  std::set<std::string> jobs;
  for (std::size_t i = 0; i < operators.size(); ++i) {
    const auto& o = operators[i];
    const std::string op = fmt::format("{}.operators[{}]", path, i);
    if (!operators_seen.insert(o.name).second) out.add(op + ".name", "operator " + o.name + " listed twice");
    out.append(node::validate(o.node, op + ".node"));
    out.append(o.job.validate(op + ".job"));
    jobs.insert(o.job_id);
  }
  if (consumers.empty()) out.add(path + ".consumers", "needs at least one consumer");
  for (std::size_t i = 0; i < consumers.size(); ++i) {
    const auto& c = consumers[i];
    const std::string cp = fmt::format("{}.consumers[{}]", path, i);
    if (!consumers_seen.insert(c.name).second) out.add(cp + ".name", "consumer " + c.name + " listed twice");
    out.append(c.request.validate(cp));
    out.append(node::validate(c.wallet, cp + ".wallet"));
    if (providers_seen.count(c.request.get) == 0) out.add(cp + ".get", "unknown provider " + c.request.get);
    for (const auto& o : c.operators)
      if (operators_seen.count(o) == 0) out.add(cp + ".operators", "unknown operator " + o);
    if (jobs.count(c.request.job_id) == 0) out.add(cp + ".job_id", "no operator runs job " + c.request.job_id);
  }
  return out;
}

RequestWorld::RequestWorld(sim::Simulation& sim, const RequestWorldConfig& cfg) : sim_(sim), cfg_(cfg) {
  const auto issues = cfg_.validate();
  issues.throw_if_any("invalid request world");
  chain_ = std::make_unique<chain::Chain>(sim_, cfg_.chain);
  prices_ = feeds::make_true_prices(sim_, cfg_.assets);
  std::map<std::string, providers::DataProvider*> apis;
  for (const auto& p : cfg_.providers) {
    providers_[p.name] = std::make_unique<providers::DataProvider>(sim_, p, *prices_.at(p.asset));
    apis[p.name] = providers_[p.name].get();
  }
  link_ = std::make_shared<contracts::LinkToken>();
  link_address_ = chain_->deploy("link", link_);
  std::map<std::string, chain::Address> op_by_name;
  for (const auto& o : cfg_.operators) {
    Op op;
    const chain::Address owner = chain_->create_account(o.name + "/owner");
    op.contract = std::make_shared<contracts::Operator>(link_address_, owner);
    op.address = chain_->deploy(o.name, op.contract);
    op.node = std::make_unique<node::ChainlinkNode>(sim_, *chain_, o.name + "/node", o.node);
    op.contract->authorize(op.node->address());
    op.job = std::make_unique<DirectRequestJob>(sim_, *chain_, *op.node, op.address, spec_id_of(o.job_id), apis, o.job,
                                                o.name + "/direct-request");
    op_by_name[o.name] = op.address;
    operators_.push_back(std::move(op));
  }
  for (const auto& c : cfg_.consumers) {
    Consumer k;
    k.client = std::make_shared<ChainlinkClient>(link_address_, c.callback_gas, c.revert_callbacks);
    k.address = chain_->deploy(c.name, k.client);
    k.funding = contracts::Juels{c.link_funding} * kJuelsPerLink;
    link_->mint(k.address, k.funding);
    const chain::Address owner = chain_->create_account(c.name + "/wallet", c.wallet.eth_balance);
    k.wallet = std::make_unique<node::TxManager>(sim_, *chain_, owner, c.wallet);
    std::vector<chain::Address> ops;
    for (const auto& o : cfg_.operators) {
      bool listed = c.operators.empty();
      for (const auto& n : c.operators) listed = listed || n == o.name;
      if (listed && o.job_id == c.request.job_id) ops.push_back(op_by_name.at(o.name));
    }
    k.actor = std::make_unique<RequestConsumer>(sim_, *chain_, c.name, k.address, *k.wallet, std::move(ops), c.request);
    consumers_.push_back(std::move(k));
  }
}

void RequestWorld::start() {
  chain_->start();
  for (auto& [name, p] : prices_) p->start();
  for (auto& [name, p] : providers_) p->start();
  for (auto& c : consumers_) c.actor->start();
}

LinkAccounting RequestWorld::link_accounting() const {
  LinkAccounting a;
  contracts::Juels client_balances = 0, funding = 0, client_refunds = 0, op_balances = 0, withdrawable = 0, withdrawn = 0;
  for (const auto& c : consumers_) {
    a.spent += c.client->spent_total();
    client_refunds += c.client->refunded_total();
    client_balances += link_->balance_of(c.address);
    funding += c.funding;
  }
  for (const auto& o : operators_) {
    a.earned += o.contract->earned_total();
    a.refunded += o.contract->refunded_total();
    a.escrow += o.contract->tokens_in_escrow();
    withdrawable += o.contract->withdrawable();
    withdrawn += o.contract->withdrawn_total();
    op_balances += link_->balance_of(o.address);
  }
  std::string v;
  if (a.spent != a.earned + a.refunded + a.escrow)
    v += fmt::format("consumers spent {} juels but operators earned {} + refunded {} + escrow {}; ", juels(a.spent),
                     juels(a.earned), juels(a.refunded), juels(a.escrow));
  if (client_refunds != a.refunded)
    v += fmt::format("consumers recorded {} juels of refunds, operators {}; ", juels(client_refunds), juels(a.refunded));
  if (funding + a.refunded != client_balances + a.spent)
    v += fmt::format("consumer token balances {} juels disagree with funding {} - spent {} + refunds {}; ",
                     juels(client_balances), juels(funding), juels(a.spent), juels(a.refunded));
  if (op_balances != a.escrow + withdrawable)
    v += fmt::format("operator token balances {} juels disagree with escrow {} + withdrawable {}; ", juels(op_balances),
                     juels(a.escrow), juels(withdrawable));
  if (a.earned != withdrawable + withdrawn)
    v += fmt::format("operators earned {} juels but hold {} withdrawable + {} withdrawn; ", juels(a.earned),
                     juels(withdrawable), juels(withdrawn));
  a.violation = v;
  return a;
}

}  // namespace models::request
