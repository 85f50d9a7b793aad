#include "analysis/report/csv_table.hpp"

#include <cmath>
#include <stdexcept>

#include <gtest/gtest.h>

namespace {

using analysis::report::CsvTable;

TEST(CsvTable, QuotedFieldsAndEmptyCells) {
  const CsvTable t = CsvTable::parse("a,b,c\n1,\"x, \"\"y\"\"\",\n\"multi\nline\",2,3\r\n\n", "test.csv");
  ASSERT_EQ(t.header(), (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(t.rows().size(), 2u);
  EXPECT_EQ(t.rows()[0], (std::vector<std::string>{"1", "x, \"y\"", ""}));
  EXPECT_EQ(t.rows()[1], (std::vector<std::string>{"multi\nline", "2", "3"}));
  EXPECT_EQ(t.column("c"), 2u);
  EXPECT_FALSE(t.column("d").has_value());
}

TEST(CsvTable, ErrorsNameTheProblem) {
  try {
    CsvTable::parse("a,b\n1,2,3\n", "runs.csv");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("runs.csv: data row 1 has 3 fields, expected 2"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(CsvTable::parse("a\n\"open\n", "x.csv"), std::runtime_error);
  EXPECT_THROW(CsvTable::parse("a\n1\n", "x.csv").require_column("b"), std::runtime_error);
}

TEST(CsvTable, Numbers) {
  EXPECT_EQ(analysis::report::parse_number("1.5e3"), 1500.0);
  EXPECT_EQ(analysis::report::parse_number("+2"), 2.0);
  EXPECT_TRUE(std::isnan(*analysis::report::parse_number("")));
  EXPECT_TRUE(std::isnan(*analysis::report::parse_number("nan")));
  EXPECT_FALSE(analysis::report::parse_number("flux").has_value());
  EXPECT_FALSE(analysis::report::parse_number("1.5x").has_value());
}

}  // namespace
