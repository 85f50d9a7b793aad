#include "models/ocr/signing.hpp"

#include <algorithm>

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

void KeyRegistry::add(const SecretKey& key) {
  const auto it = std::lower_bound(keys_.begin(), keys_.end(), key.address_.value,
                                   [](const auto& e, std::uint64_t a) { return e.first < a; });
  if (it != keys_.end() && it->first == key.address_.value) it->second = key.secret_;
  else keys_.insert(it, {key.address_.value, key.secret_});
}

bool KeyRegistry::known(Address a) const { return find(a.value) != nullptr; }

const std::uint64_t* KeyRegistry::find(std::uint64_t address) const {
  const auto it = std::lower_bound(keys_.begin(), keys_.end(), address,
                                   [](const auto& e, std::uint64_t a) { return e.first < a; });
  return it != keys_.end() && it->first == address ? &it->second : nullptr;
}

std::optional<Address> KeyRegistry::recover(const Signature& sig, std::uint64_t digest) const {
  const std::uint64_t* secret = find(sig.signer.value);
  if (secret == nullptr || tag_of(*secret, digest) != sig.tag) return std::nullopt;
  return sig.signer;
}

}  // namespace models::ocr
