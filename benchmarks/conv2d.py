"""The reference conv2d (sliding_window_view + einsum) against scipy.signal.correlate2d.

    python benchmarks/conv2d.py [--repeat 21]

Both compute the valid cross-correlation of an image with a kernel (stride 1, no padding), what
CNN libraries call a convolution. For each size the two are first checked to agree (within
AGREE_RTOL), then timed alternately, `repeat` times each after a warm-up; the medians and their
ratio reference / baseline are printed as a markdown table. When scipy is not importable the
baseline is a plain numpy one-liner (windows of the same view, summed with tensordot) and the
table says so.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SIZES = ((32, 3), (128, 5), (512, 7))  # (image side, kernel side)
AGREE_RTOL = 1e-10
"""Both sum the same kh * kw products in float64, in another order: they agree to ~1e-15
relative (times the sum's cancellation), far inside this."""
AGREE_ATOL = 1e-10
"""For output entries near 0, where a relative tolerance means nothing (rounding: ~1e-15)."""


def load_reference():
    spec = importlib.util.spec_from_file_location(
        "bench_lec09_cnn", REPO / "solutions" / "lec09_cnn.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.conv2d


def load_baseline():
    """(name, function of (x, k)): scipy's correlate2d, or the numpy fallback without scipy."""
    try:
        from scipy.signal import correlate2d
    except ImportError:
        from numpy.lib.stride_tricks import sliding_window_view

        def windows_tensordot(x, k):
            return np.tensordot(sliding_window_view(x, k.shape), k, axes=2)

        return "numpy sliding_window_view + tensordot (scipy not importable)", windows_tensordot
    return "scipy.signal.correlate2d(mode='valid')", lambda x, k: correlate2d(x, k, mode="valid")


def seconds(fn, x, k) -> float:
    start = time.perf_counter()
    fn(x, k)
    return time.perf_counter() - start


def measure(reference, baseline, side: int, kernel: int, repeat: int, rng) -> dict:
    x, k = rng.normal(size=(side, side)), rng.normal(size=(kernel, kernel))
    ours, theirs = reference(x, k), baseline(x, k)
    if ours.shape != theirs.shape or not np.allclose(
        ours, theirs, rtol=AGREE_RTOL, atol=AGREE_ATOL
    ):
        raise AssertionError(
            f"the reference and the baseline disagree on {side}x{side} * {kernel}x{kernel}"
        )
    reference(x, k), baseline(x, k)  # warm-up
    ref_s, base_s = [], []
    for _ in range(repeat):  # alternate, so that a busy moment costs both
        ref_s.append(seconds(reference, x, k))
        base_s.append(seconds(baseline, x, k))
    row = {"image": side, "kernel": kernel, "reference_s": statistics.median(ref_s),
           "baseline_s": statistics.median(base_s)}  # fmt: skip
    row["ratio"] = row["reference_s"] / row["baseline_s"]
    return row


def table(rows: list[dict], baseline_name: str, repeat: int) -> list[str]:
    lines = [
        f"Reference conv2d (solutions/lec09_cnn.py) vs {baseline_name}; median of {repeat}; "
        "the outputs agree.",
        "",
        "| image | kernel | reference (ms) | baseline (ms) | ratio reference / baseline |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(f"| {r['image']}x{r['image']} | {r['kernel']}x{r['kernel']} "
                     f"| {1e3 * r['reference_s']:.3f} | {1e3 * r['baseline_s']:.3f} "
                     f"| {r['ratio']:.2f} |")  # fmt: skip
    return lines


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args(argv)
    reference = load_reference()
    baseline_name, baseline = load_baseline()
    rng = np.random.default_rng(0)
    rows = [measure(reference, baseline, side, kernel, args.repeat, rng) for side, kernel in SIZES]
    lines = table(rows, baseline_name, args.repeat)
    print("\n".join(lines))
    return {"baseline": baseline_name, "repeat": args.repeat, "rows": rows, "lines": lines}


if __name__ == "__main__":
    main()
