// The model's metered gas against the real contracts': every row of tests/data/gas/measured.csv (written by
// tools/gas-calibration from the contracts compiled with their pinned compilers and run in a real EVM) is
// repeated on the model in the same state and compared: within 2% for accepted calls, 5% for reverts.
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "models/contracts/flux_aggregator.hpp"
#include "models/contracts/link_token.hpp"
#include "models/contracts/operator.hpp"
#include "models/ocr/ocr2_aggregator.hpp"
#include "models/ocr/ocr_aggregator.hpp"
#include "models/request/chainlink_client.hpp"
#include "models/streams/automation.hpp"
#include "tests/models/ocr/ocr_test_util.hpp"
#include "tests/models/streams/verifier_stack.hpp"

using namespace models;
namespace ocr = models::ocr;

namespace {

struct Row {
  std::string contract, call, outcome;
  int n = 0, f = 0, nobs = 0, nsig = 0, k = 0;
  double gas = 0;
  std::string label() const {
    return contract + "." + call + " n=" + std::to_string(n) + " f=" + std::to_string(f) + " obs=" + std::to_string(nobs) +
           " sig=" + std::to_string(nsig) + " k=" + std::to_string(k) + " " + outcome;
  }
};

std::vector<Row> measured() {
  std::ifstream in(std::string(ORACLESIM_SOURCE_DIR) + "/tests/data/gas/measured.csv");
  std::vector<Row> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::stringstream ss(line);
    std::vector<std::string> c;
    for (std::string cell; std::getline(ss, cell, ',');) c.push_back(cell);
    if (c.size() != 9) continue;
    rows.push_back({c[0], c[1], c[7], std::stoi(c[2]), std::stoi(c[3]), std::stoi(c[4]), std::stoi(c[5]), std::stoi(c[6]),
                    std::stod(c[8])});
  }
  return rows;
}

constexpr chain::Wei kPrice = 30 * chain::kGwei;
const chain::BlockInfo kBlock{.number = 1, .timestamp = sim::Time::from_seconds(1'000), .base_fee = 0};

chain::ExecResult run(chain::ContractRegistry& reg, chain::Address from, chain::Address to, chain::Calldata cd,
                      std::function<void(chain::ExecContext&)> fn, sim::Time at = kBlock.timestamp) {
  static std::uint64_t nonce = 0;
  chain::Transaction tx{.from = from, .to = to, .nonce = nonce++, .gas_limit = 10'000'000, .max_fee = kPrice,
                        .max_priority_fee = kPrice, .calldata = cd, .call = std::move(fn), .label = "calibration"};
  chain::BlockInfo b = kBlock;
  b.timestamp = at;
  return chain::execute_transaction(reg, tx, b);
}

// An OCR aggregator of either generation with n keyed members (and `spare` more to replace some of them), its
// transmitters, and reports of the current configuration as tools/gas-calibration sends them.
template <class Agg, class Config, class Call>
struct OcrFixture {
  ocr::test_util::Keys keys;
  chain::ContractRegistry reg;
  std::vector<chain::Address> tx;
  chain::Address agg;
  int nobs, nsig;

  OcrFixture(int n, int f, int observations, int signatures, int spare = 0)
      : keys(n + spare), nobs(observations), nsig(signatures) {
    Config cfg;
    cfg.config_digest = 0xc0ffee;
    cfg.f = f;
    for (int i = 0; i < n + spare; ++i) tx.push_back(reg.create_account("t" + std::to_string(i)));
    for (int i = 0; i < n; ++i) {
      cfg.signers.push_back(keys.onchain[static_cast<std::size_t>(i)].address());
      cfg.transmitters.push_back(tx[static_cast<std::size_t>(i)]);
    }
    agg = reg.deploy("agg", std::make_shared<Agg>(cfg, keys.directory.registry()));
  }
  Agg& contract() { return *reg.find_as<Agg>(agg); }
  // The report of (epoch 1, `round`) with the first nobs observations, signed by the first nsig members.
  Call make(int round) {
    Call c{};
    c.config_digest = contract().config().config_digest;
    c.epoch_round = {1, static_cast<std::uint8_t>(round)};
    for (int i = 0; i < nobs; ++i) c.observations.push_back({300'000'000'000 + i * 1000 + round, i});
    std::uint64_t d = 0;
    if constexpr (std::is_same_v<Call, ocr::Ocr2TransmitCall>) {
      c.extra_hash = 7;
      c.observations_timestamp = 1'000 + static_cast<std::uint32_t>(round);
      c.juels_per_fee_coin = static_cast<ocr::Value>(200) * 1'000'000'000'000'000'000LL;
      d = ocr::report_digest_ocr2(c.config_digest, c.epoch_round, c.extra_hash, c.observations, c.observations_timestamp,
                                  c.juels_per_fee_coin);
    } else {
      d = ocr::report_digest(c.config_digest, c.epoch_round, c.observations);
    }
    for (int s = 0; s < nsig; ++s) c.signatures.push_back(keys.onchain[static_cast<std::size_t>(s)].sign(d));
    return c;
  }
  chain::ExecResult send(const Call& c, int from) {
    chain::Calldata cd;
    if constexpr (std::is_same_v<Call, ocr::Ocr2TransmitCall>) cd = ocr::ocr2_transmit_calldata(c);
    else cd = ocr::transmit_calldata(c);
    return run(reg, tx[static_cast<std::size_t>(from)], agg, cd, [c](chain::ExecContext& ctx) {
      ctx.self_as<Agg>().transmit(ctx, c, ctx.gas_price());
    });
  }
  // setConfig with members `members` (indices into the keyed members) and f, from the owner.
  chain::ExecResult set_config(const std::vector<int>& members, int f) {
    std::vector<ocr::Address> signers;
    std::vector<chain::Address> transmitters;
    for (int m : members) {
      signers.push_back(keys.onchain[static_cast<std::size_t>(m)].address());
      transmitters.push_back(tx[static_cast<std::size_t>(m)]);
    }
    const bool v2 = std::is_same_v<Call, ocr::Ocr2TransmitCall>;
    return run(reg, reg.create_account("owner"), agg, ocr::set_config_calldata(members.size(), v2),
               [=](chain::ExecContext& c) { c.self_as<Agg>().set_config(c, signers, transmitters, f); });
  }
};

// The model's gas for an OCR transmit row: the aggregator in steady state (two earlier reports of the same shape),
// then the measured report, then its duplicate from another transmitter.
template <class Agg, class Config, class Call>
std::pair<double, double> ocr_transmit(const Row& r) {
  OcrFixture<Agg, Config, Call> fx(r.n, r.f, r.nobs, r.nsig);
  for (int w = 1; w <= 2; ++w) EXPECT_EQ(fx.send(fx.make(w), 0).status, chain::TxStatus::success);
  const Call c = fx.make(3);
  const auto ok = fx.send(c, 0);
  EXPECT_EQ(ok.status, chain::TxStatus::success) << ok.revert_reason;
  const auto stale = fx.send(c, 1);
  EXPECT_EQ(stale.revert_reason, "stale report");
  return {static_cast<double>(ok.gas_used), static_cast<double>(stale.gas_used)};
}

// The model's gas of a setConfig replacing a configuration of the same n, as tools/gas-calibration runs it: two
// reports with every oracle's observation (every oracle owed), the same configuration set again (every oracle
// paid), two more reports, then the measured setConfig with the last k members replaced by new ones.
template <class Agg, class Config, class Call>
double ocr_set_config(const Row& r) {
  OcrFixture<Agg, Config, Call> fx(r.n, r.f, r.n, r.f + 1, r.k);
  std::vector<int> first(static_cast<std::size_t>(r.n));
  std::iota(first.begin(), first.end(), 0);
  auto reports = [&] {
    for (int w = 1; w <= 2; ++w) EXPECT_EQ(fx.send(fx.make(w), 0).status, chain::TxStatus::success);
  };
  reports();
  EXPECT_EQ(fx.set_config(first, r.f).status, chain::TxStatus::success);
  reports();
  std::vector<int> next = first;
  for (int i = 0; i < r.k; ++i) next[static_cast<std::size_t>(r.n - r.k + i)] = r.n + i;
  const auto res = fx.set_config(next, r.f);
  EXPECT_EQ(res.status, chain::TxStatus::success) << res.revert_reason;
  return static_cast<double>(res.gas_used);
}

// A FluxAggregator of n oracles (min n/2 + 1), with `spare` more accounts to add, and its full rounds.
struct FluxFixture {
  chain::ContractRegistry reg;
  std::vector<chain::Address> oracles;
  chain::Address agg;
  sim::Time t = sim::Time::from_seconds(1'000);
  int n;

  FluxFixture(int n_, int spare) : n(n_) {
    for (int i = 0; i < n + spare; ++i) oracles.push_back(reg.create_account("o" + std::to_string(i)));
    contracts::FluxAggregatorConfig cfg;
    cfg.min_submissions = static_cast<std::uint32_t>(n / 2 + 1);
    cfg.max_submissions = static_cast<std::uint32_t>(n);
    cfg.timeout = sim::Duration::from_seconds(1800);
    agg = reg.deploy("flux", std::make_shared<contracts::FluxAggregator>(
                                 cfg, std::vector<chain::Address>(oracles.begin(), oracles.begin() + n)));
  }
  // Every oracle submits to `round`, one per block, starting with oracle `round` mod n; the gas of each submission.
  std::vector<double> round(std::uint32_t round) {
    std::vector<double> gas;
    for (int k = 1; k <= n; ++k) {
      t = t + sim::Duration::from_seconds(12);
      const contracts::Answer a = 300'000'000'000 + (k * 7919 % 1000) * 1000 + round;
      const auto r = run(reg, oracles[static_cast<std::size_t>((k - 1 + static_cast<int>(round)) % n)], agg,
                         contracts::FluxAggregator::submit_calldata(round, a),
                         [round, a](chain::ExecContext& c) { c.self_as<contracts::FluxAggregator>().submit(c, round, a); }, t);
      EXPECT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
      gas.push_back(static_cast<double>(r.gas_used));
    }
    return gas;
  }
};

// The model's gas of each submission k = 1..n of a FluxAggregator's third full round (n oracles, min n/2 + 1).
std::vector<double> flux_round(int n) {
  FluxFixture fx(n, 0);
  fx.round(1);
  fx.round(2);
  return fx.round(3);
}

// The model's gas of changeOracles after two full rounds, as tools/gas-calibration runs it: k new oracles added
// (their own admins) or the last k of the list removed, with min, max and restart delay set for the new count.
double flux_change_oracles(const Row& r) {
  const bool add = r.call == "changeOracles_add";
  FluxFixture fx(r.n, add ? r.k : 0);
  fx.round(1);
  fx.round(2);
  const auto list = fx.reg.find_as<contracts::FluxAggregator>(fx.agg)->oracles();
  std::vector<chain::Address> removed, added;
  if (add) added.assign(fx.oracles.begin() + r.n, fx.oracles.end());
  else removed.assign(list.end() - r.k, list.end());
  const auto after = static_cast<std::uint32_t>(add ? r.n + r.k : r.n - r.k);
  fx.t = fx.t + sim::Duration::from_seconds(12);
  const auto res = run(fx.reg, fx.reg.create_account("owner"), fx.agg,
                       contracts::FluxAggregator::change_oracles_calldata(removed.size(), added.size()),
                       [=](chain::ExecContext& c) {
                         c.self_as<contracts::FluxAggregator>().change_oracles(c, removed, added, after / 2 + 1, after, 0);
                       },
                       fx.t);
  EXPECT_EQ(res.status, chain::TxStatus::success) << res.revert_reason;
  return static_cast<double>(res.gas_used);
}

// The model's gas of the third request (ChainlinkClient -> LINK.transferAndCall -> Operator.oracleRequest) and its
// fulfilment (Operator.fulfillOracleRequest -> the consumer's callback), as tools/gas-calibration runs them: a
// consumer asking for get, path and times, and recording the answer in a fresh slot.
std::pair<double, double> request_and_fulfil() {
  using contracts::Juels;
  chain::ContractRegistry reg;
  const chain::Address owner = reg.create_account("owner"), node = reg.create_account("node"), wallet = reg.create_account("wallet");
  auto link = std::make_shared<contracts::LinkToken>();
  const chain::Address link_addr = reg.deploy("link", link);
  auto op = std::make_shared<contracts::Operator>(link_addr, owner);
  const chain::Address op_addr = reg.deploy("operator", op);
  op->authorize(node);
  auto client = std::make_shared<request::ChainlinkClient>(link_addr);
  const chain::Address client_addr = reg.deploy("client", client);
  link->mint(client_addr, Juels{1000} * contracts::kJuelsPerLink);
  const contracts::RequestData data{{{"get", "https://api.example/eth"}, {"path", "USD"}, {"times", "100"}}};
  const Juels fee = contracts::kJuelsPerLink / 10;
  double request_gas = 0, fulfil_gas = 0;
  for (int i = 1; i <= 3; ++i) {
    const auto req = run(reg, wallet, client_addr, request::ChainlinkClient::request_calldata(data), [&](chain::ExecContext& c) {
      c.self_as<request::ChainlinkClient>().request(c, op_addr, 42, data, fee);
    });
    EXPECT_EQ(req.status, chain::TxStatus::success) << req.revert_reason;
    contracts::OracleRequestEvent e;
    for (const auto& l : req.logs)
      if (const auto* ev = std::any_cast<contracts::OracleRequestEvent>(&l.payload)) e = *ev;
    const contracts::OracleResponse resp{300'000 + i, 32};
    const auto ful = run(reg, node, op_addr, contracts::Operator::fulfill_calldata(resp, false), [=](chain::ExecContext& c) {
      c.self_as<contracts::Operator>().fulfill_oracle_request(c, e.request_id, e.payment, e.callback_address,
                                                               e.callback_function_id, e.cancel_expiration, resp, false);
    });
    EXPECT_EQ(ful.status, chain::TxStatus::success) << ful.revert_reason;
    request_gas = static_cast<double>(req.gas_used);
    fulfil_gas = static_cast<double>(ful.gas_used);
  }
  return {request_gas, fulfil_gas};
}

// The model's gas of a Data Streams verification through the VerifierProxy, as tools/gas-calibration runs it: two
// reports verified before (epochs 1 and 2, so the latest epoch, the reward pool, balances and allowances are
// written), then one of the latest epoch (k = 0: nothing to record) and one of a new epoch (k = 1).
std::pair<double, double> streams_verify(const Row& r) {
  namespace st = models::streams;
  const bool fees = r.call != "streams_verify_nofee";
  const st::FeeToken token = r.call == "streams_verify_native" ? st::FeeToken::native : st::FeeToken::link;
  streams_test::Stack stack(r.n, r.f, fees, chain::Amount{1'000'000} * 1'000'000'000'000'000'000ULL);  // the FeeManager pays rewards in LINK
  auto verify = [&](std::uint32_t epoch, std::uint64_t round) {
    st::SignedReport sr{{streams_test::kDigest, round, epoch}, stack.report(3'000'00000000 + epoch * 1'000 + static_cast<std::int64_t>(round)), {}, {}};
    const std::uint64_t d = st::signed_digest(sr.context, sr.report);
    for (int i = 0; i <= r.f; ++i) sr.signatures.push_back(stack.keys[static_cast<std::size_t>(i)].sign(d));
    const auto res = stack.verify(sr, token);
    EXPECT_EQ(res.status, chain::TxStatus::success) << res.revert_reason;
    return static_cast<double>(res.gas_used);
  };
  verify(1, 1);
  verify(2, 1);
  const double same_epoch = verify(2, 2);
  return {same_epoch, verify(3, 1)};
}

// The harness's PerformTarget, as the model runs an upkeep: performUpkeep(bytes) rewrites two slots written before.
// Its one constant is the target's own dispatch, from the row of the target called directly (our contract, not a
// model of Chainlink's).
class TwoSlotTarget : public chain::StatefulContract<std::uint64_t>, public models::streams::StreamsLookupUpkeep {
 public:
  static constexpr chain::Gas kDispatch = 672;  // performUpkeep's dispatch and bytes decoding: 10,672 - 2 x (2,100 + 2,900)
  std::optional<models::streams::StreamsLookup> check_log(const chain::Log&, const chain::Receipt&) const override {
    return std::nullopt;
  }
  models::streams::CheckResult check_callback(const std::vector<models::streams::SignedReport>&, std::uint64_t) const override {
    return {};
  }
  void perform_upkeep(chain::ExecContext& c, const models::streams::PerformData&) override {
    c.gas().charge(kDispatch, "compute");
    for (std::uint64_t k = 0; k < 2; ++k) c.gas().sstore({address(), chain::slot_of(k)}, state_ + 1, state_ + 2);
    ++state_;
  }
  // performUpkeep(bytes): selector, offset word, length word, the bytes (all non-zero, as the harness's).
  static chain::Calldata calldata(std::uint64_t bytes) {
    return bytes == 0 ? chain::Calldata{63, 5} : chain::Calldata{62, 6 + bytes};
  }
};

// The model's gas of the target called directly, as the harness does (the target's row).
double perform_target_direct(const Row& r) {
  chain::ContractRegistry reg;
  const chain::Address target = reg.deploy("target", std::make_shared<TwoSlotTarget>());
  double gas = 0;
  for (int i = 0; i < 3; ++i) {
    const auto res = run(reg, reg.create_account("caller"), target, TwoSlotTarget::calldata(static_cast<std::uint64_t>(r.nobs)),
                         [](chain::ExecContext& c) { c.self_as<TwoSlotTarget>().perform_upkeep(c, {}); });
    EXPECT_EQ(res.status, chain::TxStatus::success);
    gas = static_cast<double>(res.gas_used);
  }
  return gas;
}

// The model's gas of AutomationRegistry.transmit, as tools/gas-calibration runs it: n transmitters, f, one
// log-trigger upkeep (the two-slot target, gas limit 500,000) after two earlier transmits of the same shape; 1 + k
// performs of `nobs` bytes of performData each, with f + 1 signatures.
double automation_transmit(const Row& r) {
  namespace st = models::streams;
  chain::ContractRegistry reg;
  std::vector<chain::Address> transmitters;
  for (int i = 0; i < r.n; ++i) transmitters.push_back(reg.create_account("k" + std::to_string(i)));
  auto registry = std::make_shared<st::AutomationRegistry>(transmitters, r.f);
  const chain::Address target = reg.deploy("target", std::make_shared<TwoSlotTarget>());
  const std::uint64_t id = registry->register_upkeep(target, 500'000);
  const chain::Address addr = reg.deploy("registry", registry);
  std::vector<int> signers(static_cast<std::size_t>(r.nsig));
  std::iota(signers.begin(), signers.end(), 0);
  std::uint64_t trigger = 1;
  double gas = 0;
  for (int t = 0; t < 3; ++t) {
    std::vector<st::Perform> performs;
    for (int p = 0; p <= r.k; ++p) {
      st::PerformData d;
      d.trigger = trigger++;
      d.opaque_bytes = static_cast<std::uint64_t>(r.nobs);
      performs.push_back({id, d});
    }
    const auto res = run(reg, transmitters[0], addr, st::transmit_calldata(performs, signers.size()),
                         [performs, signers](chain::ExecContext& c) { c.self_as<st::AutomationRegistry>().transmit(c, performs, signers); });
    EXPECT_EQ(res.status, chain::TxStatus::success) << res.revert_reason;
    gas = static_cast<double>(res.gas_used);
  }
  return gas;
}

}  // namespace

TEST(GasCalibration, TheModelMatchesEveryMeasuredRow) {
  const auto rows = measured();
  ASSERT_GT(rows.size(), 100U) << "tests/data/gas/measured.csv is missing or short";
  std::map<int, std::vector<double>> flux;  // by n
  int checked = 0;
  for (const Row& r : rows) {
    double model = 0;
    if (r.contract == "OffchainAggregator" && r.call == "transmit") {
      const auto [ok, stale] = ocr_transmit<ocr::OcrAggregator, ocr::OcrAggregatorConfig, ocr::OcrTransmitCall>(r);
      model = r.outcome == "accepted" ? ok : stale;
    } else if (r.contract == "OCR2Aggregator" && r.call == "transmit") {
      const auto [ok, stale] = ocr_transmit<ocr::Ocr2Aggregator, ocr::Ocr2AggregatorConfig, ocr::Ocr2TransmitCall>(r);
      model = r.outcome == "accepted" ? ok : stale;
    } else if (r.contract == "Operator") {
      const auto [request_gas, fulfil_gas] = request_and_fulfil();
      model = r.call == "oracleRequest" ? request_gas : fulfil_gas;
    } else if (r.contract == "FluxAggregator" && r.call == "submit") {
      if (!flux.count(r.n)) flux[r.n] = flux_round(r.n);
      model = flux[r.n].at(static_cast<std::size_t>(r.k - 1));
    } else if (r.contract == "OffchainAggregator" && r.call == "setConfig") {
      model = ocr_set_config<ocr::OcrAggregator, ocr::OcrAggregatorConfig, ocr::OcrTransmitCall>(r);
    } else if (r.contract == "OCR2Aggregator" && r.call == "setConfig") {
      model = ocr_set_config<ocr::Ocr2Aggregator, ocr::Ocr2AggregatorConfig, ocr::Ocr2TransmitCall>(r);
    } else if (r.contract == "FluxAggregator" && r.call.rfind("changeOracles_", 0) == 0) {
      model = flux_change_oracles(r);
    } else if (r.contract == "AutomationRegistry2_3" && r.call == "transmit_log_perform") {
      model = automation_transmit(r);
    } else if (r.contract == "PerformTarget" && r.call == "performUpkeep_direct") {
      model = perform_target_direct(r);
    } else if (r.contract == "VerifierProxy") {
      const auto [same_epoch, new_epoch] = streams_verify(r);
      model = r.k == 0 ? same_epoch : new_epoch;
    } else {
      ADD_FAILURE() << "no model for " << r.label();
      continue;
    }
    const double tolerance = r.outcome == "accepted" ? 0.02 : 0.05;
    std::printf("%-70s measured %8.0f model %8.0f  %+6.1f%%\n", r.label().c_str(), r.gas, model, 100 * (model / r.gas - 1));
    EXPECT_NEAR(model / r.gas, 1.0, tolerance) << r.label() << ": measured " << r.gas << ", model " << model;
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(rows.size()));
}
