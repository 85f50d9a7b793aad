#include "sim/inline_function.hpp"

#include <memory>

#include <gtest/gtest.h>

TEST(InlineFunction, SmallCapturesStayInline) {
  int hits = 0;
  struct Cap48 {
    int* p;
    char pad[40];
  };
  static_assert(sizeof(Cap48) == 48);
  Cap48 cap{&hits, {}};
  sim::InlineFunction<48> f([cap] { ++*cap.p; });
  EXPECT_TRUE(f.is_inline());
  f();
  EXPECT_EQ(hits, 1);
}

TEST(InlineFunction, LargeCapturesGoToTheHeapAndStillWork) {
  int hits = 0;
  struct Cap64 {
    int* p;
    char pad[56];
  };
  Cap64 cap{&hits, {}};
  sim::InlineFunction<48> f([cap] { ++*cap.p; });
  EXPECT_FALSE(f.is_inline());
  auto g = std::move(f);
  EXPECT_FALSE(static_cast<bool>(f));
  g();
  EXPECT_EQ(hits, 1);
}

TEST(InlineFunction, MoveOnlyCapturesAndDestruction) {
  auto counter = std::make_shared<int>(0);
  {
    auto up = std::make_unique<int>(5);
    sim::InlineFunction<48> f([up = std::move(up), counter] { *counter += *up; });
    EXPECT_EQ(counter.use_count(), 2);
    sim::InlineFunction<48> g;
    g = std::move(f);
    g();
    EXPECT_EQ(*counter, 5);
  }
  EXPECT_EQ(counter.use_count(), 1);  // captures destroyed with the function
}

TEST(InlineFunction, OverAlignedCapturesGoToTheHeap) {
  struct alignas(32) Wide {
    int* p;
  };
  int hits = 0;
  Wide w{&hits};
  sim::InlineFunction<48> f([w] { ++*w.p; });
  EXPECT_FALSE(f.is_inline());
  f();
  EXPECT_EQ(hits, 1);
}

TEST(InlineFunction, EmplaceReplacesAndDestroysThePrevious) {
  auto counter = std::make_shared<int>(0);
  sim::InlineFunction<48> f([counter] { *counter += 1; });
  EXPECT_EQ(counter.use_count(), 2);
  f.emplace([counter] { *counter += 10; });
  EXPECT_EQ(counter.use_count(), 2);  // the first capture was destroyed
  f();
  EXPECT_EQ(*counter, 10);
  f.emplace([] {});
  EXPECT_EQ(counter.use_count(), 1);
  EXPECT_TRUE(f.is_inline());
}
