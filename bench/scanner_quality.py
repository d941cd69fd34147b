"""Benchmark: the confidentiality scanner's precision, recall and speed on the labelled corpus.

    .venv/bin/python bench/scanner_quality.py
    .venv/bin/python bench/scanner_quality.py --size-kb 4000 --extra-terms 500

It scans every file of tests/review/corpus with the negative list of expected.json and compares
the findings with the hand-written expectations: a true positive is a (file, kind, text,
occurrence) in both, where occurrence numbers the repeats of one (kind, text) in a file in
reading order. It prints precision and recall per kind and overall, the misses and false alarms,
then the throughput over the corpus repeated to --size-kb. It prints numbers; it asserts nothing.

The corpus was written together with the scanner, so the table guards against regressions; it is
not an estimate of quality on unseen documents.
"""

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "tests" / "review" / "corpus"

Key = tuple[str, str, str, int]  # file, kind, text, occurrence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--size-kb", type=int, default=1024, help="text size for the speed test")
    parser.add_argument(
        "--extra-terms", type=int, default=200, help="negative-list terms added for the speed test"
    )
    args = parser.parse_args()

    from review.scanner import Kind, NegativeTerm, scan_text

    expected = json.loads((args.corpus / "expected.json").read_text(encoding="utf-8"))
    terms = [NegativeTerm(**t) for t in expected["negative_terms"]]
    texts = {name: (args.corpus / name).read_text(encoding="utf-8") for name in expected["files"]}

    want: set[Key] = set()
    got: set[Key] = set()
    for name, items in expected["files"].items():
        want |= {(name, i["kind"], i["text"], i.get("occurrence", 1)) for i in items}
        seen: Counter[tuple[str, str]] = Counter()
        for f in scan_text(texts[name], negative_terms=terms):
            seen[f.kind, f.text] += 1
            got.add((name, f.kind, f.text, seen[f.kind, f.text]))

    print(f"corpus: {len(texts)} files, {len(want)} expected findings")
    print(
        f"{'kind':<22}{'expected':>9}{'found':>7}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}"
    )
    for kind in [*Kind.values, None]:
        w = {k for k in want if kind is None or k[1] == kind}
        g = {k for k in got if kind is None or k[1] == kind}
        tp = len(w & g)
        print(
            f"{kind or 'overall':<22}{len(w):>9}{len(g):>7}{tp:>5}{len(g - w):>5}{len(w - g):>5}"
            f"{_ratio(tp, len(g)):>11}{_ratio(tp, len(w)):>8}"
        )
    for label, keys in (("missed", want - got), ("false alarm", got - want)):
        for name, kind, text, n in sorted(keys):
            print(f"  {label}: {name} {kind} {text!r} #{n}")

    corpus = "\n".join(texts[name] for name in sorted(texts))
    corpus_kb = len(corpus.encode()) / 1024
    text = corpus * max(1, round(args.size_kb / corpus_kb))
    size_kb = len(text.encode()) / 1024
    many_terms = [*terms, *(NegativeTerm(f"测试词{i:04d}") for i in range(args.extra_terms))]
    print(f"\nspeed: corpus repeated to {size_kb:,.0f} KB ({len(text):,} characters), one scan")
    for label, scan_terms in (
        (f"{len(terms)} negative terms", terms),
        (f"{len(many_terms)} negative terms", many_terms),
    ):
        started = time.perf_counter()
        findings = scan_text(text, negative_terms=scan_terms)
        elapsed = time.perf_counter() - started
        print(
            f"  {label}: {elapsed * 1000:,.0f} ms, {size_kb / elapsed:,.0f} KB/s, "
            f"{len(findings):,} findings"
        )


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


if __name__ == "__main__":
    main()
