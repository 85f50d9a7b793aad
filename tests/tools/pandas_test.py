#!/usr/bin/env python3
"""Results as a researcher loads them: pandas' defaults on runs.csv, summary.csv and a time series of a real sweep
give numbers as numbers, empty cells as NaN and fingerprints and swept text as text; then every Python block of
docs/analysis.md marked `<!-- doc-test: python -->` runs as it is, in a directory whose results/ holds the sweep.

Usage: pandas_test.py ORACLESIM_BINARY SOURCE_DIR (exit 0 when every check passes)."""
import os
import re
import subprocess
import sys
import tempfile

try:
    import pandas as pd
except ImportError:
    sys.exit("pandas_test: pandas is missing; install the Debian package python3-pandas (tools/dev test does)")

binary, source = sys.argv[1], sys.argv[2]
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def python_blocks(markdown):
    """The fenced python blocks that follow a `<!-- doc-test: python -->` line."""
    blocks, lines, i = [], markdown.splitlines(), 0
    while i < len(lines):
        if lines[i].strip() == "<!-- doc-test: python -->":
            start = i + 1
            if start >= len(lines) or not lines[start].startswith("```python"):
                sys.exit(f"pandas_test: docs/analysis.md:{i + 1}: the doc-test marker is not followed by a ```python block")
            end = start + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            blocks.append((start + 2, "\n".join(lines[start + 1:end])))
            i = end
        i += 1
    return blocks


with tempfile.TemporaryDirectory(prefix="oraclesim-pandas-") as work:
    results = os.path.join(work, "results")
    # The gas study of docs/analysis.md, short: 96 runs of 1 h over two warm-ups; flux rows have no OCR metrics.
    scenario = os.path.join(work, "gas.yaml")
    with open(scenario, "w") as f:
        f.write(f"extends: {os.path.join(source, 'scenarios', 'ocr_vs_flux_gas.yaml')}\n"
                "duration: 1h\nrecord: {timeseries: [true_price, onchain_answer], every: 1min}\n"
                "sweep: {grid: {warmup: [5min, 10min]}}\n")
    run = subprocess.run([binary, "sweep", scenario, "--out", results, "--quiet", "--set", "sweep.replications=2"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"pandas_test: the sweep failed ({run.returncode}):\n{run.stderr}")

    runs = pd.read_csv(os.path.join(results, "runs.csv"))
    summary = pd.read_csv(os.path.join(results, "summary.csv"))
    series = pd.read_csv(os.path.join(results, "timeseries", "p0_r0.csv"))

    text_columns = {"feeds[0].aggregation", "fingerprint"}
    for column in runs.columns:
        numeric = pd.api.types.is_numeric_dtype(runs[column])
        if column in text_columns:
            check(runs[column].dtype == object, f"runs.csv {column}: text expected, pandas read {runs[column].dtype}")
        else:
            check(numeric, f"runs.csv {column}: numbers expected, pandas read {runs[column].dtype}")
    check(runs["fingerprint"].str.fullmatch(r"0x[0-9a-f]{16}").all(), "runs.csv fingerprint: 0x and 16 hex digits")
    check(pd.api.types.is_integer_dtype(runs["feeds[0].oracles"]), "feeds[0].oracles: integers")
    flux = runs["feeds[0].aggregation"] == "flux"
    check(flux.sum() > 0 and runs.loc[flux, "epochs"].isna().all(), "flux runs: epochs is NaN (an empty cell)")
    check(runs.loc[~flux, "epochs"].notna().all(), "OCR runs: epochs is a number")
    check(len(runs) == 96, f"96 runs (48 points x 2 replications) expected, read {len(runs)}")
    # A swept duration is a number of seconds under a column that says so.
    check("warmup_s" in runs.columns and sorted(runs["warmup_s"].unique()) == [300, 600], "warmup_s: 300 and 600")
    check(pd.api.types.is_integer_dtype(runs["warmup_s"]), f"warmup_s: integers, read {runs['warmup_s'].dtype}")

    for column in ["point", "feeds[0].oracles", "warmup_s", "n", "mean", "sd", "ci95_low", "ci95_high", "min", "max"]:
        check(pd.api.types.is_numeric_dtype(summary[column]), f"summary.csv {column}: numbers, read {summary[column].dtype}")
    for column in ["feeds[0].aggregation", "metric"]:
        check(summary[column].dtype == object, f"summary.csv {column}: text, read {summary[column].dtype}")

    check(list(series.columns) == ["series", "t_s", "value"], f"time series columns: {list(series.columns)}")
    check(series["series"].dtype == object, "time series: series is text")
    check(pd.api.types.is_float_dtype(series["t_s"]) or pd.api.types.is_integer_dtype(series["t_s"]), "t_s numeric")
    check(pd.api.types.is_float_dtype(series["value"]), "time series: value is a float")

    # docs/analysis.md's Python, as written, where it expects the results.
    with open(os.path.join(source, "docs", "analysis.md")) as f:
        blocks = python_blocks(f.read())
    check(len(blocks) >= 1, "docs/analysis.md has no <!-- doc-test: python --> block")
    os.chdir(work)
    for line, code in blocks:
        try:
            exec(compile(code, f"docs/analysis.md:{line}", "exec"), {})
        except Exception as e:  # the doc's code is the user's, any failure is the doc's
            failures.append(f"docs/analysis.md:{line}: {type(e).__name__}: {e}")

if failures:
    print("pandas_test: " + str(len(failures)) + " problem(s):\n  " + "\n  ".join(failures))
    sys.exit(1)
print("pandas_test: runs.csv, summary.csv, a time series and the docs' Python read as expected")
