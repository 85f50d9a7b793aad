#pragma once
// A CSV file read into memory as text cells: a header row and data rows (RFC 4180 quoting: fields may be
// quoted with "", a doubled "" inside quotes is a literal quote, quoted fields may hold commas and newlines).
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace analysis::report {

class CsvTable {
 public:
  // Parses CSV text; `source` names it in error messages. Throws std::runtime_error on an unterminated quote
  // or a row whose number of fields differs from the header's.
  static CsvTable parse(std::string_view text, const std::string& source);
  // Reads and parses a file; throws std::runtime_error naming the file when it cannot be read.
  static CsvTable read(const std::filesystem::path& file);

  const std::vector<std::string>& header() const { return header_; }
  const std::vector<std::vector<std::string>>& rows() const { return rows_; }
  std::optional<std::size_t> column(std::string_view name) const;
  // The column's index; throws std::runtime_error naming the file and the missing column.
  std::size_t require_column(std::string_view name) const;
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// A cell as a number: NaN for an empty cell or "nan"/"NaN"; nullopt when the text is not a number.
std::optional<double> parse_number(std::string_view cell);

}  // namespace analysis::report
