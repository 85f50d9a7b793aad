#include "models/request/requests_subsystem.hpp"

#include <set>
#include <stdexcept>

#include <fmt/core.h>

namespace models::request {
namespace {
constexpr contracts::Juels kJuelsPerLink = 1'000'000'000'000'000'000ULL;
std::string juels(contracts::Juels v) { return chain::to_string_amount(v); }
}  // namespace

std::vector<OperatorSetup> RequestsConfig::operators_or_default() const {
  return operators.empty() ? std::vector<OperatorSetup>{OperatorSetup{}} : operators;
}

std::vector<ConsumerSetup> RequestsConfig::consumers_or_default() const {
  return consumers.empty() ? std::vector<ConsumerSetup>{ConsumerSetup{}} : consumers;
}

sim::ConfigIssues RequestsConfig::validate(const std::vector<providers::ProviderConfig>& providers,
                                           const std::string& path, const node::NodeConfig& nodes) const {
  sim::ConfigIssues out;
  if (!enabled) return out;
  if (!(link_eth > 0)) out.add(path + ".link_eth", "must be > 0 (ETH per LINK)");
  std::set<std::string> provider_names, operators_seen, consumers_seen, jobs;
  for (const auto& p : providers) provider_names.insert(p.name);
  const auto ops = operators_or_default();
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const auto& o = ops[i];
    const std::string op = fmt::format("{}.operators[{}]", path, i);
    if (o.name.empty()) out.add(op + ".name", "an operator needs a name");
    else if (!operators_seen.insert(o.name).second) out.add(op + ".name", fmt::format("duplicate operator '{}'", o.name));
    out.append(node::validate(node::resolve(nodes, o.node_override), op + ".node"));
    out.append(o.job.validate(op + ".job"));
    jobs.insert(o.job_id);
  }
  const auto cons = consumers_or_default();
  for (std::size_t i = 0; i < cons.size(); ++i) {
    const auto& c = cons[i];
    const std::string cp = fmt::format("{}.consumers[{}]", path, i);
    if (c.name.empty()) out.add(cp + ".name", "a consumer needs a name");
    else if (!consumers_seen.insert(c.name).second) out.add(cp + ".name", fmt::format("duplicate consumer '{}'", c.name));
    out.append(c.request.validate(cp));
    out.append(node::validate(c.wallet, cp + ".wallet"));
    if (provider_names.count(c.request.get) == 0) {
      std::string names;
      for (const auto& p : provider_names) names += (names.empty() ? "" : ", ") + p;
      out.add(cp + ".request.get", fmt::format("unknown provider '{}': a request gets from a top-level provider ({})",
                                               c.request.get, names.empty() ? "providers: is empty" : names));
    }
    for (const auto& o : c.operators)
      if (operators_seen.count(o) == 0) out.add(cp + ".operators", "unknown operator " + o);
    if (jobs.count(c.request.job_id) == 0) out.add(cp + ".request.job_id", "no operator runs job " + c.request.job_id);
  }
  return out;
}

const RequestsConfig& requests_of(const scenario::ScenarioConfig& c) { return c.subsystems.get<RequestsConfig>(kSubsystem); }
RequestsConfig& requests_of(scenario::ScenarioConfig& c) { return c.subsystems.edit<RequestsConfig>(kSubsystem); }

std::string node_name(const OperatorSetup& op) { return op.name + "/node"; }

void actor_names(const scenario::ScenarioConfig& c, std::vector<scenario::ActorName>& out) {
  const RequestsConfig& r = requests_of(c);
  if (!r.enabled) return;
  for (const auto& o : r.operators_or_default()) out.push_back({node_name(o), "request-node"});
}

std::unique_ptr<world::Part> build(world::Environment& env, const scenario::ScenarioConfig& c) {
  const RequestsConfig& r = requests_of(c);
  if (!r.enabled) return nullptr;
  return std::make_unique<RequestsPart>(env, r);
}

RequestsPart::RequestsPart(world::Environment& env, const RequestsConfig& cfg)
    : sim_(env.simulation()), cfg_(cfg), chain_(env.chain()) {
  cfg_.enabled = true;
  cfg_.operators = cfg_.operators_or_default();
  for (auto& o : cfg_.operators) o.node = node::resolve(env.config().nodes, o.node_override);
  cfg_.consumers = cfg_.consumers_or_default();
  link_ = &env.link();
  link_address_ = env.link_address();
  std::map<std::string, providers::DataProvider*> apis;
  for (const auto& p : env.providers()) apis[p->config().name] = p.get();
  std::map<std::string, chain::Address> op_by_name;
  for (const auto& o : cfg_.operators) {
    Op op;
    const chain::Address owner = chain_.create_account(o.name + "/owner");
    op.contract = std::make_shared<contracts::Operator>(link_address_, owner);
    op.address = chain_.deploy(o.name, op.contract);
    op.node = std::make_unique<node::ChainlinkNode>(sim_, chain_, node_name(o), o.node);
    op.contract->authorize(op.node->address());
    op.job = std::make_unique<DirectRequestJob>(sim_, chain_, *op.node, op.address, spec_id_of(o.job_id), apis, o.job,
                                                o.name + "/direct-request");
    op_by_name[o.name] = op.address;
    operators_.push_back(std::move(op));
  }
  for (const auto& c : cfg_.consumers) {
    Consumer k;
    k.client = std::make_shared<ChainlinkClient>(link_address_, c.callback_gas, c.revert_callbacks);
    k.address = chain_.deploy(c.name, k.client);
    k.funding = contracts::Juels{c.link_funding} * kJuelsPerLink;
    link_->mint(k.address, k.funding);
    const chain::Address owner = chain_.create_account(c.name + "/wallet", c.wallet.eth_balance);
    k.wallet = std::make_unique<node::TxManager>(sim_, chain_, owner, c.wallet);
    std::vector<chain::Address> ops;
    for (const auto& o : cfg_.operators) {
      bool listed = c.operators.empty();
      for (const auto& n : c.operators) listed = listed || n == o.name;
      if (listed && o.job_id == c.request.job_id) ops.push_back(op_by_name.at(o.name));
    }
    k.actor = std::make_unique<RequestConsumer>(sim_, chain_, c.name, k.address, *k.wallet, std::move(ops), c.request);
    consumers_.push_back(std::move(k));
  }
  for (auto& op : operators_)
    conns_.push_back(op.node->txm().included.connect([this](const chain::Receipt& r) { tx_included.emit(r); }));
  for (auto& k : consumers_)
    conns_.push_back(k.wallet->included.connect([this](const chain::Receipt& r) { tx_included.emit(r); }));
}

void RequestsPart::register_actors(faults::ActorDirectory& directory) {
  for (std::size_t i = 0; i < operators_.size(); ++i) {
    Op& op = operators_[i];
    op.control = std::make_unique<faults::ActorControl>(node_name(cfg_.operators[i]), "request-node");
    node::ChainlinkNode* n = op.node.get();
    op.control->on_crash = [n] { n->crash(); };
    op.control->on_restart = [n] { n->restart(); };
    op.job->set_control(op.control.get());
    directory.add(*op.control);
  }
}

void RequestsPart::start() {
  for (auto& c : consumers_) c.actor->start();
}

LinkAccounting RequestsPart::link_accounting() const {
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
