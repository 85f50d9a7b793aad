// The built-in metrics' reference (metric_catalogue.hpp): what each collector reports, in what unit, over which
// window. docs/metrics.md is generated from it (`oraclesim describe metrics --markdown`); a run that reports a
// metric missing here fails (analysis/run.cpp), so the reference cannot fall behind the collectors.
#include "analysis/metric_catalogue.hpp"

namespace analysis {

namespace {
MetricInfo metric(std::string name, std::string unit, MetricEntity entity, std::string window, std::string definition) {
  return {std::move(name), std::move(unit), entity, std::move(window), std::move(definition), {}};
}
}  // namespace

std::vector<MetricInfo> engine_metrics() {
  return {
      metric("engine_peak_pending", "events", MetricEntity::kRun, "whole run",
       "Most events pending in the engine's queue at once (scheduled, not yet run or cancelled), over the whole "
       "run including warm-up; a property of the engine, not of the model."),
      metric("engine_scheduled", "events", MetricEntity::kRun, "whole run",
       "Events ever scheduled during the whole run, warm-up included (cancelled ones included); not the same as "
       "the runs.csv column `events`, which counts executed events."),
  };
}

std::vector<MetricInfo> chain_metrics() {
  return {
      metric("chain_blocks", "blocks", MetricEntity::kRun, "after warm-up (block timestamp in [warmup, end))",
       "Canonical blocks whose timestamp is in the window; blocks later undone by a reorg are removed and not "
       "counted. Only when the scenario has a chain."),
      metric("chain_gas_used", "gas", MetricEntity::kRun, "after warm-up (block timestamp in [warmup, end))",
       "Total gas used by the window's canonical blocks: every modelled transaction (all subsystems, reverted "
       "ones too) plus the synthetic background demand."),
      metric("chain_gas_background", "gas", MetricEntity::kRun, "after warm-up (block timestamp in [warmup, end))",
       "Part of chain_gas_used that is the synthetic background demand (not a modelled transaction) in the "
       "window's canonical blocks."),
      metric("chain_gas_<subsystem>", "gas", MetricEntity::kRun, "after warm-up (block timestamp in [warmup, end))",
       "Gas of the receipts in the window's canonical blocks whose sender account was created by <subsystem> "
       "(one of the built parts: demo, feeds, requests, streams), or <subsystem> = other for senders no part "
       "created; emitted for every built part, 0 if it sent nothing (e.g. chain_gas_demo). Includes reverted "
       "transactions."),
      metric("chain_reorgs", "count", MetricEntity::kRun, "after warm-up (block timestamp in [warmup, end))",
       "Reorgs whose last dropped block (the old head) has a timestamp in the window."),
      metric("chain_blocks_orphaned", "blocks", MetricEntity::kRun, "after warm-up (block timestamp in [warmup, end))",
       "Blocks dropped by reorgs whose timestamp lies in the window (summed over all reorgs)."),
      metric("oracle_gas_share", "fraction", MetricEntity::kRun, "after warm-up (block timestamp in [warmup, end))",
       "(chain_gas_used - chain_gas_background) / chain_gas_used: share of block gas used by ALL modelled "
       "transactions (feeds, requests, Streams Trade user trades, other), not only oracle reports; 0 (not NaN) "
       "when no gas was used."),
      metric("block_oracle_gas_share_p50", "fraction", MetricEntity::kRun,
       "after warm-up (block timestamp in [warmup, end))",
       "Type-7 median over the window's canonical blocks of each block's (gas used - background gas) / gas used, "
       "the share of one block's gas taken by modelled transactions (as oracle_gas_share, block by block; blocks "
       "with no gas count as 0); NaN with no block."),
      metric("block_oracle_gas_share_p99", "fraction", MetricEntity::kRun,
       "after warm-up (block timestamp in [warmup, end))",
       "Type-7 99th percentile over the window's canonical blocks of the per-block share in "
       "block_oracle_gas_share_p50; NaN with no block."),
      metric("block_oracle_gas_share_max", "fraction", MetricEntity::kRun,
       "after warm-up (block timestamp in [warmup, end))",
       "Largest per-block share (see block_oracle_gas_share_p50) of any canonical block in the window; NaN with no "
       "block."),
  };
}

std::vector<MetricInfo> fault_metrics() {
  return {
      metric("faults_injected", "count", MetricEntity::kRun, "whole run",
       "Fault injections during the whole run, warm-up included: one per injection of a faults[] entry and one "
       "per random fault_processes crash. Only when the scenario has faults or fault_processes."),
      metric("faults_without_effect", "count", MetricEntity::kRun, "whole run",
       "Injections whose effect counters are all zero at the end (e.g. crash_leader with no leader among the "
       "targets, clock_skew on an actor that never reads its clock)."),
      metric("fault_<counter>", "count", MetricEntity::kRun, "whole run (from each injection to the end)",
       "Effect counter <counter> summed over all injections (see the list of counters); a column exists only if "
       "some injector created that counter, so an absent column means the effect never happened, not 0."),
  };
}

std::vector<MetricInfo> demo_metrics() {
  return {
      metric("phold_events", "events", MetricEntity::kRun, "after warm-up",
       "PHOLD events handled by all logical processes between the end of the warm-up and the end of the run "
       "(counter difference). Only when demo.enabled."),
      metric("phold_events_per_s", "events/s", MetricEntity::kRun, "after warm-up",
       "phold_events divided by the measurement window length in simulated seconds; 0 (not NaN) when the window "
       "is empty."),
      metric("phold_lp_events_mean", "events", MetricEntity::kRun, "after warm-up",
       "Mean over logical processes of the events each LP handled in the window (= phold_events / demo.lps)."),
      metric("phold_lp_events_sd", "events", MetricEntity::kRun, "after warm-up",
       "Population standard deviation (divisor n, not n-1) over logical processes of the events each LP handled "
       "in the window."),
      metric("phold_lp_events_min", "events", MetricEntity::kRun, "after warm-up",
       "Fewest events handled in the window by any single logical process."),
      metric("phold_lp_events_max", "events", MetricEntity::kRun, "after warm-up",
       "Most events handled in the window by any single logical process."),
  };
}

std::vector<MetricInfo> feed_metrics() {
  return {
      metric("updates", "count", MetricEntity::kFeed, "after warm-up",
       "Answer updates: distinct rounds (key phase<<32|aggregator round) whose FIRST on-chain answer change has "
       "inclusion time in the window. A flux round whose median is recomputed by later submissions counts once; "
       "the answer need not differ in value from the previous one."),
      metric("gas_per_update", "gas", MetricEntity::kFeed, "after warm-up",
       "gas_total / updates: gas of every feed transaction included in the window (flux: every flux/submit of "
       "the feed's nodes, including late and reverted submissions; OCR: every ocr/transmit, including reverted "
       "duplicate transmissions) divided by updates; NaN when updates = 0."),
      metric("gas_per_day", "gas/day", MetricEntity::kFeed, "after warm-up",
       "gas_total scaled to a day: gas_total * 86400 / window length in seconds (reverted transactions included)."),
      metric("gas_total", "gas", MetricEntity::kFeed, "after warm-up",
       "Gas used by every feed transaction (flux/submit or ocr/transmit, success or reverted) whose block time "
       "is in the window; a tx re-included after a reorg is counted again."),
      metric("gas_per_node_per_day", "gas/day", MetricEntity::kFeed, "after warm-up",
       "gas_per_day divided by the configured number of oracles (feeds[i].oracles); an even split, not the gas "
       "actually paid by each node."),
      metric("eth_cost_per_day", "ETH/day", MetricEntity::kFeed, "after warm-up",
       "Sum over the window's feed transactions (reverted included) of gas_used * effective gas price, "
       "converted from wei to ETH and scaled to 86400 s of window."),
      metric("link_paid_per_day", "LINK/day", MetricEntity::kFeed, "after warm-up",
       "LINK the aggregator(s) owe the feed's nodes for the window's transactions, per day: flux: the round "
       "payment per successful submission; OCR1: transmitter reimbursement + linkGweiPerObservation per "
       "observation; OCR2: reimbursement/transmission payment + observation payment to every oracle. 0 for "
       "reverted txs."),
      metric("answer_error_bps_mean", "bps", MetricEntity::kFeed, "after warm-up",
       "Time-weighted mean of |on-chain answer - true price| / true price * 1e4 over the covered part of the "
       "window (both series piecewise constant; time before the first on-chain answer is not covered); NaN if "
       "nothing is covered."),
      metric("answer_error_bps_p50", "bps", MetricEntity::kFeed, "after warm-up",
       "Time-weighted median of the relative answer error (bps): the smallest value v the error is <= for at "
       "least 50% of the covered time (no interpolation)."),
      metric("answer_error_bps_p99", "bps", MetricEntity::kFeed, "after warm-up",
       "Time-weighted 99th percentile of the relative answer error (bps), same definition as "
       "answer_error_bps_p50 with p = 0.99."),
      metric("answer_error_bps_max", "bps", MetricEntity::kFeed, "after warm-up",
       "Largest relative answer error (bps) taken during the covered part of the window; NaN if nothing is covered."),
      metric("time_beyond_threshold_frac", "fraction", MetricEntity::kFeed, "after warm-up",
       "Share of the covered window time during which the relative answer error is strictly greater than the "
       "feed's deviation threshold (feeds[i].deviation); NaN if nothing is covered."),
      metric("staleness_s_mean", "s", MetricEntity::kFeed, "after warm-up",
       "Plain mean (per read, not time-weighted) of the answer age (read time - updatedAt) seen by the feed's "
       "consumer contracts' successful reads in the window (default one consumer reading every 12 s); NaN with "
       "no successful read."),
      metric("staleness_s_p99", "s", MetricEntity::kFeed, "after warm-up",
       "Type-7 (linear interpolation) 99th percentile of the answer age over the consumers' successful reads in "
       "the window; NaN with no read."),
      metric("staleness_s_max", "s", MetricEntity::kFeed, "after warm-up",
       "Largest answer age seen by a successful consumer read in the window; NaN with no read."),
      metric("staleness_s_mean_congested", "s", MetricEntity::kFeed, "after warm-up, reads inside congestion faults",
       "staleness_s_mean over the successful consumer reads whose time lies in a congestion fault's window [at, at + "
       "duration) (to the end without a duration); only when the scenario has congestion faults; NaN with no such "
       "read."),
      metric("staleness_s_p99_congested", "s", MetricEntity::kFeed, "after warm-up, reads inside congestion faults",
       "Type-7 99th percentile of the answer age over the same reads as staleness_s_mean_congested; NaN with none."),
      metric("staleness_s_max_congested", "s", MetricEntity::kFeed, "after warm-up, reads inside congestion faults",
       "Largest answer age over the same reads as staleness_s_mean_congested; NaN with none."),
      metric("staleness_s_mean_uncongested", "s", MetricEntity::kFeed, "after warm-up, reads outside congestion faults",
       "staleness_s_mean over the successful consumer reads in the window that no congestion fault's window holds; "
       "only when the scenario has congestion faults; NaN with no such read."),
      metric("staleness_s_p99_uncongested", "s", MetricEntity::kFeed, "after warm-up, reads outside congestion faults",
       "Type-7 99th percentile of the answer age over the same reads as staleness_s_mean_uncongested; NaN with none."),
      metric("staleness_s_max_uncongested", "s", MetricEntity::kFeed, "after warm-up, reads outside congestion faults",
       "Largest answer age over the same reads as staleness_s_mean_uncongested; NaN with none."),
      metric("consumer_failed_reads", "count", MetricEntity::kFeed, "after warm-up",
       "Consumer reads in the window that found no answer (\"No data present\")."),
      metric("due_latency_s", "s", MetricEntity::kFeed, "after warm-up",
       "Mean, over updates in the window except the run's first, of (update time - due time), where due = first "
       "instant the TRUE price moved >= deviation from the previous update's final answer, or previous update "
       "time + heartbeat, whichever is earlier; updates made before they fell due are excluded (see "
       "updates_before_due); NaN if none."),
      metric("due_latency_s_p99", "s", MetricEntity::kFeed, "after warm-up",
       "Type-7 99th percentile of the same due-to-update latencies as due_latency_s; NaN if none."),
      metric("updates_before_due", "count", MetricEntity::kFeed, "after warm-up",
       "Updates in the window (excluding the run's first update) whose first answer change came before the true "
       "price made them due (e.g. triggered by provider noise); excluded from due_latency_s."),
      metric("update_latency_s", "s", MetricEntity::kFeed, "after warm-up",
       "Mean over updates in the window of (first answer change of the round - first trigger of that round), "
       "where a trigger is a flux node deciding to submit or the first honest OCR follower's shouldReport=true "
       "for the next round; updates with no earlier trigger are skipped; NaN if none."),
      metric("update_latency_s_p99", "s", MetricEntity::kFeed, "after warm-up",
       "Type-7 99th percentile of the same trigger-to-inclusion latencies as update_latency_s; NaN if none."),
      metric("mean_update_interval_s", "s", MetricEntity::kFeed, "after warm-up",
       "(time of the last update - time of the first update in the window) / (updates - 1); NaN with fewer than "
       "2 updates."),
      metric("mean_update_size_bps", "bps", MetricEntity::kFeed, "after warm-up",
       "Mean over updates in the window (except the run's very first) of |final answer of the round - final "
       "answer of the previous round| / previous * 1e4; the previous round may lie in the warm-up; NaN if none."),
      metric("safety_violations", "count", MetricEntity::kFeed, "after warm-up",
       "OCR feeds only: accepted reports included in the window whose answer is outside [min, max] of the "
       "honest oracles' observations for that (epoch, round), or with no honest observation recorded."),
      metric("liveness_gap_s_max", "s", MetricEntity::kFeed, "after warm-up",
       "OCR feeds only: longest interval during which a report was due (an honest follower's shouldReport said "
       "report, or the true-price reference sample said due) with no new report reaching the chain; gaps "
       "clipped to the window, an open gap closes at the end; 0 if none."),
      metric("epochs", "epoch number", MetricEntity::kFeed, "run start to end (warm-up included)",
       "OCR feeds only: the HIGHEST epoch number any oracle started before the end of the run (an epoch id, not "
       "a count of epochs in the window; warm-up epochs included)."),
      metric("leader_changes", "count", MetricEntity::kFeed, "after warm-up",
       "OCR feeds only: epochs whose first start (by any oracle) falls in the window, excluding the "
       "lowest-numbered (initial) epoch of the run; every new epoch counts, even if the leader id is unchanged."),
      metric("round_latency_s", "s", MetricEntity::kFeed, "after warm-up",
       "OCR feeds only: mean over reports accepted (included) in the window of (inclusion block time - first "
       "observe-req of that (epoch, round)); 0 (not NaN) when there is none."),
      metric("round_latency_s_max", "s", MetricEntity::kFeed, "after warm-up",
       "OCR feeds only: maximum of the same observe-req-to-inclusion latencies; 0 when there is none."),
      metric("transmissions_reverted", "count", MetricEntity::kFeed, "after warm-up",
       "OCR feeds only: ocr/transmit transactions included in the window with a non-success status (mostly "
       "later transmission stages duplicating a report the contract already has)."),
      metric("gas_wasted_per_day", "gas/day", MetricEntity::kFeed, "after warm-up",
       "OCR feeds only: gas of the reverted transmit transactions included in the window, per day of window; 0 "
       "when the window is empty. This gas is also inside gas_total/gas_per_update."),
      metric("reconfigurations", "count", MetricEntity::kFeed, "after warm-up",
       "Feeds with changes only: the changes of feeds[i].changes included in the window (OCR: setConfig; per-node: "
       "changeOracles)."),
      metric("reconfig_switch_s_max", "s", MetricEntity::kFeed, "after warm-up",
       "Feeds with changes only: the longest time from a change's inclusion to the oracles switching to the new "
       "configuration (OCR: ocr.contract_confirmations, checked every ocr.config_check; per-node: 0, the oracles follow "
       "the contract's rounds); up to the end if they never do."),
      metric("reconfig_unprotected_s_max", "s", MetricEntity::kFeed, "after warm-up",
       "Feeds with changes only: the longest time from a change's inclusion to the first answer update after it (OCR: "
       "the first report of the new configuration; no update is possible before it); up to the end if none comes."),
      metric("reconfig_gap_s_max", "s", MetricEntity::kFeed, "after warm-up",
       "Feeds with changes only: the longest update gap around a change: from the last answer update before its "
       "inclusion to the first after it (the answer's age when the new configuration first reports)."),
      metric("transmissions_reverted_old_digest", "count", MetricEntity::kFeed, "after warm-up",
       "OCR feeds with changes only: transmit transactions included in the window that reverted with 'configDigest "
       "mismatch' (sent under a configuration setConfig had replaced)."),
  };
}

std::vector<MetricInfo> request_metrics() {
  return {
      metric("requests", "count", MetricEntity::kRun, "cohort: requests first included after warm-up, state at run end",
       "The cohort: distinct (consumer, request id) whose request tx was first included (successfully, with an "
       "OracleRequest log) at or after the warm-up end; = fulfilled + expired + cancelled + pending. Reverted "
       "request txs are not requests."),
      metric("fulfilled", "count", MetricEntity::kRun, "cohort: requests first included after warm-up, state at run end",
       "Cohort requests answered (OracleResponse seen by the consumer) by the end, including answers after "
       "expiration but before the refund; includes failed callbacks."),
      metric("expired", "count", MetricEntity::kRun, "cohort: requests first included after warm-up, state at run end",
       "Cohort requests that reached their expiration (head block timestamp >= expiration) unanswered and were "
       "not refunded by the end of the run."),
      metric("cancelled", "count", MetricEntity::kRun, "cohort: requests first included after warm-up, state at run end",
       "Cohort requests that expired unanswered and were refunded by a successful cancelOracleRequest tx before "
       "the end."),
      metric("pending", "count", MetricEntity::kRun, "cohort: requests first included after warm-up, state at run end",
       "Cohort requests neither answered nor expired at the end of the run."),
      metric("failed_callbacks", "count", MetricEntity::kRun, "cohort: requests first included after warm-up, state at run end",
       "Cohort requests counted as fulfilled whose consumer callback reverted (callback_ok false)."),
      metric("fulfillment_latency_s", "s", MetricEntity::kRun, "cohort: requests first included after warm-up, state at run end",
       "Mean over the cohort's fulfilled requests of (fulfilment block time - arrival time, i.e. when the "
       "consumer sent the request tx); NaN if none fulfilled."),
      metric("fulfillment_latency_s_p50", "s", MetricEntity::kRun, "cohort: requests first included after warm-up, state at run end",
       "Type-7 median of the cohort's fulfilment latencies; NaN if none."),
      metric("fulfillment_latency_s_p99", "s", MetricEntity::kRun, "cohort: requests first included after warm-up, state at run end",
       "Type-7 99th percentile of the cohort's fulfilment latencies; NaN if none."),
      metric("gas_per_request", "gas", MetricEntity::kRun, "after warm-up (cohort request txs + all fulfilment txs after warm-up)",
       "(gas of the cohort's successful request txs, first inclusion only + gas of EVERY fulfilment tx included "
       "after warm-up, reverted ones and fulfilments of pre-window requests too) / requests; cancel txs and "
       "reverted request txs excluded; NaN when requests = 0."),
      metric("link_fees", "LINK", MetricEntity::kRun, "cohort: requests first included after warm-up, state at run end",
       "Total LINK fee (payment) of the cohort's fulfilled requests (failed callbacks included); a window "
       "total, not per day."),
      metric("node_profit_link", "LINK", MetricEntity::kRun, "after warm-up (mixed: cohort fees, all fulfilment gas after warm-up)",
       "link_fees - (sum of gas_used * effective gas price, in ETH, of every fulfilment tx included after "
       "warm-up, reverted included) / requests.link_eth (ETH per LINK, default 0.005)."),
      metric("request_gas_total", "gas", MetricEntity::kRun, "after warm-up (inclusion time in [warmup, end))",
       "Gas of every request-model tx (consumers' request and cancel txs, operator nodes' fulfilment txs; "
       "reverted ones too) whose block time is in the window; re-inclusions after a reorg count again."),
  };
}

std::vector<MetricInfo> streams_metrics() {
  return {
      metric("streams_reports", "count", MetricEntity::kRun, "after warm-up (observation time >= warmup, no end cutoff)",
       "Reports the Data Streams DON attested (leader holds f+1 signatures), all feeds, whose observation time "
       "is at or after the warm-up end."),
      metric("streams_gas_total", "gas", MetricEntity::kRun, "after warm-up (inclusion time in [warmup, end))",
       "Gas of every Streams Trade tx included in the window: Automation performUpkeep txs and the trader's "
       "user trades on both the Streams and the push-baseline side (reverted ones too). 0 without streams.trade."),
      metric("don_rounds", "count", MetricEntity::kRun, "after warm-up",
       "Data Streams DON rounds started (observe-reqs sent by leaders) between the warm-up end and the end "
       "(counter difference)."),
      metric("lb_answered_503", "count", MetricEntity::kRun, "after warm-up",
       "Requests the load balancer answered itself with 503 (lb.dead_backend = reject, or retry with no serving "
       "site) in the window (counter difference)."),
      metric("report_latency_ms_p50", "ms", MetricEntity::kStreamsClient, "after warm-up (report observed >= warmup)",
       "Type-7 median over reports of the client's feeds accepted from the WebSocket stream of (acceptance time "
       "- the DON round's observation time); backfilled reports excluded; no end cutoff; NaN if none."),
      metric("report_latency_ms_p99", "ms", MetricEntity::kStreamsClient, "after warm-up (report observed >= warmup)",
       "Type-7 99th percentile of the same stream latencies as report_latency_ms_p50; NaN if none."),
      metric("report_latency_from_obs_ms_p50", "ms", MetricEntity::kStreamsClient, "after warm-up (report observed >= warmup)",
       "Type-7 median of (stream acceptance time - the report's observationsTimestamp, whole seconds), i.e. the "
       "latency a user comparing the report's own timestamp with its clock sees (includes up to 1 s of "
       "timestamp truncation)."),
      metric("report_latency_from_obs_ms_p99", "ms", MetricEntity::kStreamsClient, "after warm-up (report observed >= warmup)",
       "Type-7 99th percentile of the same observationsTimestamp-based latencies; NaN if none."),
      metric("client_gap_s_max", "s", MetricEntity::kStreamsClient, "after warm-up, reports observed in [warmup, end - 30 s]",
       "Largest hole, over the client's feeds, between consecutive observationsTimestamps (whole seconds) of "
       "reports received from the stream, with floor(warm-up end) and floor(end - 30 s) counted as points; a "
       "client receiving every report shows the report interval (1 s), one that never recovers shows the time "
       "to the cutoff."),
      metric("client_gap_s_max_after_backfill", "s", MetricEntity::kStreamsClient, "after warm-up, reports observed in [warmup, end - 30 s]",
       "As client_gap_s_max but over every report the client holds, from the stream or REST backfill."),
      metric("missed_reports", "count", MetricEntity::kStreamsClient, "after warm-up, reports observed in [warmup, end - 30 s]",
       "Reports the DON attested for the client's feeds, observed in [warm-up end, end - 30 s], that the client "
       "never accepted from the stream (keyed by feed and observationsTimestamp)."),
      metric("missed_reports_after_backfill", "count", MetricEntity::kStreamsClient, "after warm-up, reports observed in [warmup, end - 30 s]",
       "Of those reports, the ones the client still does not hold after REST backfill."),
      metric("duplicates_dropped", "count", MetricEntity::kStreamsClient, "after warm-up (drop time)",
       "Stream report copies the client's dedup (watermark/cache) rejected in the window; in HA mode mostly the "
       "second origin's copies."),
      metric("failover_time_s", "s", MetricEntity::kStreamsClient, "after warm-up (socket losses at/after warmup)",
       "Max over the client's socket losses in the window of (first stream acceptance at/after the loss, or run "
       "end - last stream acceptance before the loss, or warm-up end); NaN when no socket was lost. An HA "
       "client losing one of two sockets typically shows about one report interval."),
      metric("socket_losses", "count", MetricEntity::kStreamsClient, "after warm-up (loss time)",
       "WebSocket connections of the client lost in the window (each socket of an HA client counts)."),
      metric("trades", "count", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Streams Trade trades (Automation + Data Streams report) requested in [warm-up end, end - 30 s] and "
       "executed by the end; unexecuted ones are not counted (see trades_pending_at_end). Only with "
       "streams.trade."),
      metric("trade_latency_s", "s", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Mean over counted Streams trades of (timestamp of the executing block - time the user submitted the "
       "trade tx); NaN if none."),
      metric("trade_latency_s_p50", "s", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Type-7 median of the Streams trade latencies; NaN if none."),
      metric("trade_latency_s_p99", "s", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Type-7 99th percentile of the Streams trade latencies; NaN if none."),
      metric("trade_price_error_bps", "bps", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Mean over counted Streams trades of |execution price - true price at execution| / true price * 1e4; NaN "
       "if none (or no true price)."),
      metric("trade_price_error_bps_p50", "bps", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Type-7 median of the Streams trades' price error at execution (bps)."),
      metric("trade_price_error_bps_p99", "bps", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Type-7 99th percentile of the Streams trades' price error at execution (bps)."),
      metric("trade_price_error_at_report_bps", "bps", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Mean over counted Streams trades of |execution price - true price at the report's "
       "observationsTimestamp| / that price * 1e4 (the report's own error, without drift while Automation "
       "settles); trades with unknown truth skipped; NaN if none."),
      metric("verify_gas", "gas", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Mean gas of VerifierProxy.verify inside performUpkeep over counted Streams trades with nonzero verify "
       "gas (not the whole perform tx); NaN if none."),
      metric("push_trades", "count", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Push-baseline trades (DEX executing at the OCR/flux push feed's latestRoundData) requested in [warm-up "
       "end, end - 30 s] and executed."),
      metric("push_trade_latency_s", "s", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Mean over counted push trades of (executing block timestamp - submission time); NaN if none."),
      metric("push_trade_latency_s_p50", "s", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Type-7 median of the push-trade latencies."),
      metric("push_trade_latency_s_p99", "s", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Type-7 99th percentile of the push-trade latencies."),
      metric("push_trade_price_error_bps", "bps", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Mean over counted push trades of |execution price - true price at execution| / true price * 1e4."),
      metric("push_trade_price_error_bps_p50", "bps", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Type-7 median of the push trades' price error at execution (bps)."),
      metric("push_trade_price_error_bps_p99", "bps", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Type-7 99th percentile of the push trades' price error at execution (bps)."),
      metric("trades_pending_at_end", "count", MetricEntity::kRun, "state at run end (warm-up requests included)",
       "Streams trades requested at any time (warm-up included) and not executed when the run ends: in flight, "
       "or given up by Automation."),
      metric("automation_failures", "count", MetricEntity::kRun, "after warm-up (event time, no end cutoff)",
       "Automation events in the window other than not_needed: lookups given up (lookup_failed), performs that "
       "could not be sent (send_failed) or failed on chain (perform_failed)."),
      metric("perform_blocks_after_trigger", "blocks", MetricEntity::kRun, "after warm-up, trades requested in [warmup, end - 30 s] and executed",
       "Mean over counted Streams trades of (block number of the perform - block number of the trade request): the "
       "log poller, the lookup and the Automation DON's round between the two blocks; NaN if none."),
      metric("automation_lookups", "count", MetricEntity::kRun, "whole run",
       "HTTP report requests of every Automation node (each node looks a trigger up itself; retries count)."),
      metric("fee_link_rewards_due", "LINK", MetricEntity::kRun, "whole run (contract state at run end)",
       "LINK rewards of every verification fee the FeeManager processed (after discounts; native fees too)."),
      metric("fee_link_paid_out", "LINK", MetricEntity::kRun, "whole run (contract state at run end)",
       "LINK the RewardManager paid to the reward pool's recipients (claims and owner payouts)."),
      metric("fee_link_held", "LINK", MetricEntity::kRun, "whole run (contract state at run end)",
       "LINK the RewardManager holds (unclaimed rewards and rounding dust)."),
      metric("fee_link_deficit", "LINK", MetricEntity::kRun, "whole run (contract state at run end)",
       "Rewards of native fees the FeeManager's LINK did not cover (its LINK deficit). Every run checks "
       "fee_link_rewards_due = fee_link_paid_out + fee_link_held + fee_link_deficit exactly, in juels, and fails if not."),
      metric("fee_native_collected", "ETH", MetricEntity::kRun, "whole run (contract state at run end)",
       "Native fees (wrapped) the FeeManager holds."),
  };
}

}  // namespace analysis
