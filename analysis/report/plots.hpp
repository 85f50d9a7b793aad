#pragma once
// The report's plots, drawn by gnuplot from one generated script (report_plots.gp, kept beside the images
// so that a reader can restyle them): each metric against each x parameter with 95% CI bands, one line per
// combination of the other swept parameters; and empirical CDFs across runs of the CDF metrics.
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/report/report_model.hpp"
#include "analysis/report/results.hpp"

namespace analysis::report {

enum class ImageFormat { png, svg };  // png through gnuplot's pngcairo terminal, or svg

struct Figure {
  std::string file;     // image file name, relative to the output directory
  std::string title;
  std::string caption;
};

// The figures the results call for, with their file names (nothing is drawn).
std::vector<Figure> plan_figures(const Results& results, const ReportSpec& spec, ImageFormat format);

// Writes report_plots.gp into out_dir and runs gnuplot on it, producing every planned figure there.
// Throws GnuplotError when gnuplot is missing or fails, or when a planned image was not written.
std::vector<Figure> draw_plots(const Results& results, const ReportSpec& spec, const std::filesystem::path& out_dir,
                               const std::string& gnuplot, ImageFormat format);

}  // namespace analysis::report
