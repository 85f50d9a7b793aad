#!/usr/bin/env python3
"""Prints the OCR vs per-node gas table of a scenarios/ocr_vs_flux_gas.yaml sweep from its summary.csv.

    build/release/tools/oraclesim sweep scenarios/ocr_vs_flux_gas.yaml --out /tmp/gas
    tools/ocr_gas_table.py /tmp/gas            # or .../summary.csv

Per oracle count n: the mean (over replications) gas per update of flux, OCR1 (ocr) and OCR2 (ocr2) aggregation,
each OCR generation's saving over flux in percent, 100 * (1 - ocr / flux), and OCR2's over OCR1. A mode the sweep
did not run is left out. Standard library only.
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
    modes = [m for m in ("flux", "ocr", "ocr2") if any(k[1] == m for k in gas)]
    if "flux" not in modes or len(modes) < 2:
        sys.exit(f"{path}: needs gas_per_update of flux and at least one of ocr, ocr2")
    alts = [m for m in modes if m != "flux"]
    head = f"{'n':>4} " + " ".join(f"{m + '_gas/update':>16}" for m in modes)
    head += "".join(f" {m + '_saving_%':>14}" for m in alts)
    if len(alts) == 2:
        head += f" {'ocr2_vs_ocr_%':>14}"
    print(head)
    for n in sorted({n for n, _ in gas}):
        vals = {m: gas.get((n, m)) for m in modes}
        if any(v is None for v in vals.values()):
            continue
        line = f"{n:>4} " + " ".join(f"{vals[m]:>16.0f}" for m in modes)
        line += "".join(f" {100.0 * (1.0 - vals[m] / vals['flux']):>14.1f}" for m in alts)
        if len(alts) == 2:
            line += f" {100.0 * (1.0 - vals['ocr2'] / vals['ocr']):>14.1f}"
        print(line)


if __name__ == "__main__":
    main(sys.argv)
