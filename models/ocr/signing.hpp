#pragma once
// Signatures modelled so that only a key's holder can produce a valid one.
//
// A key is a 64-bit secret; its public address is a fixed hash of the secret. A signature carries the claimed
// signer address and a tag = PRF(secret, digest). The KeyRegistry stands for public-key verification: it knows
// the registered keys and checks a tag, but exposes no secret, so code holding only its own SecretKey (an honest
// or a byzantine oracle) can sign with that key and never forge another key's signature (a forged tag matches
// with probability 2^-64). Simplified: no real cryptography; digests are 64-bit hashes (see report.hpp).
#include <compare>
#include <cstdint>
#include <utility>
#include <vector>
#include <optional>

namespace models::ocr {

struct Address {
  std::uint64_t value = 0;
  friend constexpr auto operator<=>(const Address&, const Address&) = default;
};

struct Signature {
  Address signer;         // claimed signer (ECDSA: what ecrecover returns for a valid signature)
  std::uint64_t tag = 0;  // PRF(secret, digest)
  friend constexpr bool operator==(const Signature&, const Signature&) = default;
};

class SecretKey {
 public:
  // Derives a key from a seed (e.g. a hash of the oracle's name and the run seed).
  explicit SecretKey(std::uint64_t seed);
  Address address() const { return address_; }
  Signature sign(std::uint64_t digest) const;

 private:
  friend class KeyRegistry;
  std::uint64_t secret_;
  Address address_;
};

class KeyRegistry {
 public:
  // Registers a key's public part (only the registry can check tags; it never hands the secret out).
  void add(const SecretKey& key);
  bool known(Address a) const;
  // ecrecover: the signer's address if the signature is valid for `digest` under a registered key.
  std::optional<Address> recover(const Signature& sig, std::uint64_t digest) const;
  bool verify(const Signature& sig, std::uint64_t digest, Address expected) const {
    auto a = recover(sig, digest);
    return a && *a == expected;
  }

 private:
  const std::uint64_t* find(std::uint64_t address) const;  // the secret, or nullptr
  std::vector<std::pair<std::uint64_t, std::uint64_t>> keys_;  // (address, secret), by address
};

}  // namespace models::ocr
