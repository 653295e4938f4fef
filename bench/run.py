#!/usr/bin/env python3
"""Times whole commands: preflight against the parse-only baseline, side by side.

    python3 bench/run.py            # 2,000 files, 1,000,000 NDJSON lines of one shape, 200,000 of mixed shapes
    python3 bench/run.py --quick    # 2,000 files, 100,000 + 20,000 lines, fewer runs
    python3 bench/run.py --templates-only   # only the runs with and without a 500-template file

Builds release binaries, generates bench/corpus/ from examples/ if missing (or if
its size differs), runs each command several times alternating with the
baseline, and prints medians, ratios, throughput and peak RSS (GNU time).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "target", "release")
PREFLIGHT = os.path.join(TARGET, "preflight")
PARSE_ONLY = os.path.join(TARGET, "parse-only")
GEN = os.path.join(TARGET, "gen-corpus")
GEN_TEMPLATES = os.path.join(TARGET, "gen-templates")
CORPUS = os.path.join(ROOT, "bench", "corpus")


def run(cmd, expect=(0,)):
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if p.returncode not in expect:
        sys.exit(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr.decode()[:2000]}")
    return elapsed


def peak_rss_mb(cmd):
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return int(p.stderr.decode().strip().splitlines()[-1]) / 1024


def write_failing(path, size):
    """An NDJSON broadcast where one bug fails every line twice (a trailing
    space in `nohp`, an unknown field)."""
    written, i = 0, 0
    with open(path, "w") as f:
        while written < size:
            line = ('{"nohp": "62812%08d ", "pesan": "Halo Kak, pesanan TB-%d sudah dikirim", '
                    '"notifyurl": "https://tokobaju.co.id/wa/status", "extra_field": %d}\n') % (i % 100_000_000, i, i)
            f.write(line)
            written += len(line)
            i += 1


def median_pair(a, b, runs):
    ta, tb = [], []
    for _ in range(runs):
        ta.append(run(a))
        tb.append(run(b))
    return statistics.median(ta), statistics.median(tb)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--templates-only", action="store_true")
    args = ap.parse_args()
    files, lines, runs = (2000, 100_000, 5) if args.quick else (2000, 1_000_000, 10)

    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "preflight-cli", "-p", "preflight-bench"], cwd=ROOT, check=True)
    stamp = os.path.join(CORPUS, f".size-{files}-{lines}-mixed-no-templates")
    if not os.path.exists(stamp):
        subprocess.run(["rm", "-rf", CORPUS], check=True)
        subprocess.run([GEN, os.path.join(ROOT, "examples"), CORPUS, str(files), str(lines)], check=True)
        open(stamp, "w").close()
    files_dir = os.path.join(CORPUS, "files")
    ndjson = os.path.join(CORPUS, "sandeza.ndjson")
    print(f"machine: {os.cpu_count()} cores; corpus: {files} files, {lines:,} NDJSON lines")

    # Warm the page cache.
    run([PARSE_ONLY, files_dir, ndjson])

    # The same runs checking every template send against an account of 500
    # templates (the example account's and variants of them).
    templates = os.path.join(CORPUS, "templates", "message_templates.json")
    if not os.path.exists(templates):
        os.makedirs(os.path.dirname(templates), exist_ok=True)
        subprocess.run([GEN_TEMPLATES, os.path.join(ROOT, "examples", "templates", "message_templates.json"), templates, "500"], check=True)
    with_t = ["--templates", templates]
    pf, pt = median_pair([PREFLIGHT, "validate", files_dir], [PREFLIGHT, "validate", *with_t, files_dir], runs)
    print(f"{files} files with 500 templates: {pt*1000:7.1f} ms   without {pf*1000:7.1f} ms   ratio {pt/pf:.2f}x (target <= 1.10x)")
    nd_runs = max(3, runs // 3)
    pf, pt = median_pair([PREFLIGHT, "validate", "--endpoint", "sandeza/send", ndjson], [PREFLIGHT, "validate", *with_t, "--endpoint", "sandeza/send", ndjson], nd_runs)
    print(f"NDJSON {lines:,} with 500 templates: {lines/pt:,.0f} payloads/s ({pt:.2f} s)   without {lines/pf:,.0f} payloads/s ({pf:.2f} s)   time ratio {pt/pf:.2f}x (target <= 1.10x)")
    if args.templates_only:
        return

    pf, base = median_pair([PREFLIGHT, "validate", files_dir], [PARSE_ONLY, files_dir], runs)
    print(f"{files} files:   preflight {pf*1000:7.1f} ms   parse-only {base*1000:7.1f} ms   ratio {pf/base:.2f}x (target <= 1.5x)")

    pf, base = median_pair([PREFLIGHT, "validate", "--endpoint", "sandeza/send", ndjson], [PARSE_ONLY, ndjson], nd_runs)
    print(f"NDJSON {lines:,}: preflight {lines/pf:,.0f} payloads/s ({pf:.2f} s)   parse-only {lines/base:,.0f} payloads/s ({base:.2f} s)   throughput ratio {base/pf:.2f}x (target >= 0.6x)")
    mixed = os.path.join(CORPUS, "sandeza-mixed.ndjson")
    n = lines // 5
    pf, base = median_pair([PREFLIGHT, "validate", "--endpoint", "sandeza/send", mixed], [PARSE_ONLY, mixed], nd_runs)
    print(f"NDJSON {n:,} of mixed shapes: preflight {n/pf:,.0f} payloads/s ({pf:.2f} s)   parse-only {n/base:,.0f} payloads/s ({base:.2f} s)   throughput ratio {base/pf:.2f}x")
    rss = peak_rss_mb([PREFLIGHT, "validate", "--endpoint", "sandeza/send", ndjson])
    print(f"NDJSON peak RSS: preflight {rss:.1f} MB (target < 50 MB)")

    failing = os.path.join(CORPUS, "failing-200mb.ndjson")
    if not os.path.exists(failing):
        write_failing(failing, 200_000_000)
    size = os.path.getsize(failing) / 1e6
    for fmt in ("text", "json", "sarif", "github"):
        cmd = [PREFLIGHT, "validate", "--endpoint", "chatbot/sendwa", "--format", fmt, failing]
        start = time.perf_counter()
        rss = peak_rss_mb(cmd)
        elapsed = time.perf_counter() - start
        print(f"NDJSON {size:.0f} MB, every line 2 findings, --format {fmt}: {elapsed:.1f} s, peak RSS {rss:.1f} MB (target < 100 MB)")

    one = os.path.join(ROOT, "examples", "sandeza", "send", "whatsapp-json-header-image.json")
    # Warm first: the NDJSON runs above push the binary out of the page cache.
    for _ in range(5):
        run([PREFLIGHT, "validate", one])
    t = statistics.median(run([PREFLIGHT, "validate", one]) for _ in range(20))
    print(f"one file, whole command (start-up included): {t*1000:.1f} ms (target < 8 ms)")


if __name__ == "__main__":
    main()
