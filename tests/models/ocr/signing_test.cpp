#include "models/ocr/signing.hpp"

#include <gtest/gtest.h>

#include "models/ocr/report.hpp"
#include "tests/models/ocr/ocr_test_util.hpp"

using namespace models::ocr;

TEST(Signing, OnlyTheHolderProducesAValidSignature) {
  SecretKey alice(1), bob(2), mallory(3);
  KeyRegistry reg;
  reg.add(alice);
  reg.add(bob);
  const std::uint64_t digest = 12345;
  auto sig = alice.sign(digest);
  EXPECT_TRUE(reg.verify(sig, digest, alice.address()));
  EXPECT_FALSE(reg.verify(sig, digest + 1, alice.address()));  // another message
  EXPECT_FALSE(reg.verify(sig, digest, bob.address()));

  // Mallory claims Alice's address but cannot produce Alice's tag.
  Signature forged = mallory.sign(digest);
  forged.signer = alice.address();
  EXPECT_FALSE(reg.recover(forged, digest).has_value());
  // Mallory's own signature is valid only if her key is registered.
  EXPECT_FALSE(reg.recover(mallory.sign(digest), digest).has_value());
  reg.add(mallory);
  EXPECT_EQ(reg.recover(mallory.sign(digest), digest), mallory.address());
}

TEST(Signing, DirectoryRecoversOracleIds) {
  test_util::Keys keys(4);
  const std::vector<AttributedObservation> obs{{10, 0}, {11, 2}, {12, 1}};
  const auto d = report_digest(7, {1, 1}, obs);
  EXPECT_EQ(keys.directory.recover_onchain(keys.onchain[2].sign(d), d), 2);
  EXPECT_EQ(keys.directory.recover_onchain(keys.offchain[2].sign(d), d), -1);  // offchain key is not a signer
  EXPECT_TRUE(keys.directory.verify_offchain(3, keys.offchain[3].sign(d), d));
  EXPECT_FALSE(keys.directory.verify_offchain(1, keys.offchain[3].sign(d), d));
  // Report digests depend on every part of the report.
  EXPECT_NE(d, report_digest(7, {1, 2}, obs));
  EXPECT_NE(d, report_digest(8, {1, 1}, obs));
  auto obs2 = obs;
  obs2[1].observer = 3;
  EXPECT_NE(d, report_digest(7, {1, 1}, obs2));
  EXPECT_EQ(report_median(obs), 11);
}

// verify_observation remembers each oracle's last valid observation; asking again, or about anything that differs in
// one field, answers as checking the signature afresh would.
TEST(Signing, ObservationChecksAnswerAsCheckingAfresh) {
  test_util::Keys keys(4);
  for (const bool ocr2 : {false, true}) {
    SignedObservation o;
    o.value = 1234;
    o.timestamp = ocr2 ? 99u : 0u;
    o.juels_per_fee_coin = ocr2 ? 5 : 0;
    const EpochRound er{3, 2};
    const auto digest = ocr2 ? observation_digest_ocr2(7, er, o) : observation_digest(7, er, o.value);
    o.signature = keys.offchain[1].sign(digest);
    for (int i = 0; i < 2; ++i) EXPECT_TRUE(keys.directory.verify_observation(1, 7, er, o, ocr2)) << i;
    EXPECT_FALSE(keys.directory.verify_observation(2, 7, er, o, ocr2));  // another oracle's
    EXPECT_FALSE(keys.directory.verify_observation(1, 8, er, o, ocr2));  // another configuration
    EXPECT_FALSE(keys.directory.verify_observation(1, 7, {3, 3}, o, ocr2));
    auto changed = o;
    changed.value += 1;
    EXPECT_FALSE(keys.directory.verify_observation(1, 7, er, changed, ocr2));
    changed = o;
    changed.signature.tag ^= 1;
    EXPECT_FALSE(keys.directory.verify_observation(1, 7, er, changed, ocr2));
    if (ocr2) {
      changed = o;
      changed.timestamp += 1;
      EXPECT_FALSE(keys.directory.verify_observation(1, 7, er, changed, ocr2));
    }
    EXPECT_TRUE(keys.directory.verify_observation(1, 7, er, o, ocr2));  // still valid after the failures
  }
}
