#include "models/streams/dedup.hpp"

namespace models::streams {

bool Deduplicator::accept(FeedId feed, std::uint32_t observations_timestamp) {
  auto [it, fresh] = watermark_.try_emplace(feed, observations_timestamp);
  if (!fresh) {
    if (observations_timestamp <= it->second) {
      ++rejected_;
      return false;
    }
    it->second = observations_timestamp;
  }
  ++accepted_;
  return true;
}

void Deduplicator::raise(FeedId feed, std::uint32_t observations_timestamp) {
  auto [it, fresh] = watermark_.try_emplace(feed, observations_timestamp);
  if (!fresh && observations_timestamp > it->second) it->second = observations_timestamp;
}

std::optional<std::uint32_t> Deduplicator::watermark(FeedId feed) const {
  auto it = watermark_.find(feed);
  if (it == watermark_.end()) return std::nullopt;
  return it->second;
}

}  // namespace models::streams
