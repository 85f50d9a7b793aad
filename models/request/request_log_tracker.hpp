#pragma once
// Which OracleRequest logs a direct-request job may act on (pure logic, no scheduler).
//
// A log seen in block b is ready once the head is at b + MinIncomingConfirmations - 1 (the log's block counts as
// the first confirmation). A reorg that undoes blocks above the common ancestor forgets the block of every log
// not yet acted on in those blocks, so it waits until the request is re-included (its confirmations then count
// from the new block). A request acted on once is never handed out again, whatever reorgs and re-inclusions
// follow (no double fulfilment).
#include <cstdint>
#include <map>
#include <vector>

#include "models/contracts/operator.hpp"

namespace models::request {

class RequestLogTracker {
 public:
  explicit RequestLogTracker(std::uint32_t min_confirmations) : min_confs_(min_confirmations) {}

  // A log of request `ev` was included in block `block`.
  void on_log(const contracts::OracleRequestEvent& ev, std::uint64_t block);
  // Blocks above `common_ancestor` were undone.
  void on_reorg(std::uint64_t common_ancestor);
  // Requests confirmed at `head` and not yet acted on, in (block, log order); they are marked started.
  std::vector<contracts::OracleRequestEvent> take_ready(std::uint64_t head);

  bool started(contracts::RequestId id) const;
  bool waiting(contracts::RequestId id) const;   // seen, not started, currently included
  std::size_t tracked() const { return entries_.size(); }
  std::uint32_t min_confirmations() const { return min_confs_; }

 private:
  struct Entry {
    contracts::OracleRequestEvent ev;
    std::uint64_t block = 0;  // 0: not on the canonical chain now
    std::uint64_t seq = 0;    // arrival order, for a stable order within a block
    bool started = false;
  };
  std::uint32_t min_confs_;
  std::map<contracts::RequestId, Entry> entries_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace models::request
