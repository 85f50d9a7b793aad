#include "models/ocr/signing.hpp"

#include "sim/hash.hpp"

namespace models::ocr {
namespace {
constexpr std::uint64_t kAddressDomain = 0x6164647265737321ULL;    // "address!"
constexpr std::uint64_t kSignatureDomain = 0x7369676e61747572ULL;  // "signatur"

std::uint64_t tag_of(std::uint64_t secret, std::uint64_t digest) {
  return sim::hash_combine(sim::hash_combine(kSignatureDomain, secret), digest);
}
}  // namespace

SecretKey::SecretKey(std::uint64_t seed)
    : secret_(sim::splitmix64(seed)), address_{sim::hash_combine(kAddressDomain, secret_)} {}

Signature SecretKey::sign(std::uint64_t digest) const { return Signature{address_, tag_of(secret_, digest)}; }

void KeyRegistry::add(const SecretKey& key) { keys_[key.address_.value] = key.secret_; }

std::optional<Address> KeyRegistry::recover(const Signature& sig, std::uint64_t digest) const {
  auto it = keys_.find(sig.signer.value);
  if (it == keys_.end() || tag_of(it->second, digest) != sig.tag) return std::nullopt;
  return sig.signer;
}

}  // namespace models::ocr
