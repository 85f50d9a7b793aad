#!/usr/bin/env python3
"""Prints the OCR vs per-node gas table of a scenarios/ocr_vs_flux_gas.yaml sweep from its summary.csv.

    build/release/tools/oraclesim sweep scenarios/ocr_vs_flux_gas.yaml --out /tmp/gas
    tools/ocr_gas_table.py /tmp/gas            # or .../summary.csv

Per oracle count n: the mean (over replications) gas per update of flux and of OCR aggregation, and OCR's
saving in percent, 100 * (1 - ocr / flux). Standard library only.
"""
import csv
import os
import sys


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: ocr_gas_table.py RESULTS_DIR|summary.csv")
    path = argv[1]
    if os.path.isdir(path):
        path = os.path.join(path, "summary.csv")
    n_key, mode_key = "feeds[0].oracles", "feeds[0].aggregation"
    gas = {}  # (n, mode) -> mean gas per update
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if n_key not in row or mode_key not in row:
                sys.exit(f"{path}: needs the swept keys {n_key} and {mode_key}")
            if row["metric"] == "gas_per_update":
                gas[(int(row[n_key]), row[mode_key])] = float(row["mean"])
    print(f"{'n':>4} {'flux_gas/update':>16} {'ocr_gas/update':>15} {'saving_%':>9}")
    for n in sorted({n for n, _ in gas}):
        flux, ocr = gas.get((n, "flux")), gas.get((n, "ocr"))
        if flux is None or ocr is None:
            continue
        print(f"{n:>4} {flux:>16.0f} {ocr:>15.0f} {100.0 * (1.0 - ocr / flux):>9.1f}")


if __name__ == "__main__":
    main(sys.argv)
