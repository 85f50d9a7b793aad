#include "analysis/report/csv_table.hpp"

#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace analysis::report {

CsvTable CsvTable::parse(std::string_view text, const std::string& source) {
  CsvTable table;
  table.source_ = source;
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false;
  bool field_started = false;  // distinguishes an empty last field from an empty line
  std::size_t line = 1;
  auto end_field = [&] {
    record.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_record = [&] {
    if (field_started || !record.empty()) {
      end_field();
      records.push_back(std::move(record));
    }
    record.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_quotes = true;
        field_started = true;
        break;
      case ',':
        field_started = true;
        end_field();
        field_started = true;
        break;
      case '\r':
        break;
      case '\n':
        ++line;
        end_record();
        break;
      default:
        field += c;
        field_started = true;
    }
  }
  if (in_quotes) throw std::runtime_error(source + ": unterminated quoted field at end of file");
  end_record();
  if (records.empty()) throw std::runtime_error(source + ": expected a header row, found an empty file");
  table.header_ = std::move(records.front());
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != table.header_.size()) {
      throw std::runtime_error(source + ": data row " + std::to_string(r) + " has " +
                               std::to_string(records[r].size()) + " fields, expected " +
                               std::to_string(table.header_.size()) + " as in the header");
    }
    table.rows_.push_back(std::move(records[r]));
  }
  return table;
}

CsvTable CsvTable::read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), file.string());
}

std::optional<std::size_t> CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  return std::nullopt;
}

std::size_t CsvTable::require_column(std::string_view name) const {
  if (auto c = column(name)) return *c;
  throw std::runtime_error(source_ + ": expected a column named '" + std::string(name) + "'");
}

std::optional<double> parse_number(std::string_view cell) {
  while (!cell.empty() && cell.front() == ' ') cell.remove_prefix(1);
  while (!cell.empty() && cell.back() == ' ') cell.remove_suffix(1);
  if (cell.empty() || cell == "nan" || cell == "NaN" || cell == "NA") return std::numeric_limits<double>::quiet_NaN();
  if (cell == "inf" || cell == "+inf") return std::numeric_limits<double>::infinity();
  if (cell == "-inf") return -std::numeric_limits<double>::infinity();
  if (cell.front() == '+') cell.remove_prefix(1);
  double value = 0;
  const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc() || ptr != cell.data() + cell.size()) return std::nullopt;
  return value;
}

}  // namespace analysis::report
