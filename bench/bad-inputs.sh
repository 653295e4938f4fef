#!/bin/sh
# The command line under bad inputs at full size, against the release
# binary: the cases of cli/tests/bad_inputs.rs (which CI runs at reduced
# size on the test build), each with its time and peak memory (see
# docs/reliability.md, "The command line under bad inputs").
#
#   bench/bad-inputs.sh             # builds the release binary, runs every case
#   bench/bad-inputs.sh --no-build  # uses the release binary already built
#
# Needs python3 (to write the inputs), GNU time (/usr/bin/time) and
# coreutils' timeout. The inputs (about 600 MB) are written under the
# target directory and removed at the end.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
if [ "${1:-}" != "--no-build" ]; then
    cargo build --release --locked -p preflight-cli >&2
fi
bin="$target/release/preflight"
[ -x "$bin" ] || { echo "bad-inputs: no $bin (build it first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bad-inputs: GNU time (/usr/bin/time) is needed" >&2; exit 2; }
mkdir -p "$target/tmp"
work=$(mktemp -d "$target/tmp/bad-inputs.XXXXXX")
trap 'chmod -R u+rw "$work" 2>/dev/null; rm -rf "$work"' EXIT INT TERM
# An empty config: the repository's own never applies.
: > "$work/preflight.toml"

# The inputs.
python3 - "$work" <<'EOF'
import os, sys
work = sys.argv[1]
os.chdir(work)
ok = '{"nohp": "6281234567890", "pesan": "Halo Kak, pesanan TB-%d sudah dikirim"}\n'
failing = '{"nohp": "0812-3456-7890", "pesan": "Halo"}\n'

def ndjson(name, size):
    with open(name, "w") as f:
        written, n = 0, 0
        while written < size:
            n += 1
            line = failing if n % 1000 == 0 else ok % n
            f.write(line)
            written += len(line)

ndjson("small.ndjson", 2_000_000)
ndjson("big.ndjson", 200_000_000)
with open("malformed.ndjson", "w") as f:
    for n in range(1, 1_000_001):
        if n == 543_210:
            f.write('{"nohp": "6281234567890", "pesan": "broken\n')
        elif n % 9_973 == 0:
            f.write(failing)
        else:
            f.write(ok % n)
for name, size in (("string-30mb.json", 30_000_000), ("string-50mb.json", 50_000_000)):
    with open(name, "w") as f:
        f.write('{"nohp": "6281234567890", "pesan": "%s"}' % ("Halo Kak " * (size // 9)))
# A string that is all one placeholder (`xxx`): the costliest to report.
with open("string-30mb-xxx.json", "w") as f:
    f.write('{"nohp": "6281234567890", "pesan": "%s"}' % ("x" * 30_000_000))
# Opening braces with no closing one, in a phone number (a field read for
# `{…}` markers): each brace once, not once from each brace.
with open("string-30mb-braces.json", "w") as f:
    f.write('{"nohp": "%s", "pesan": "Halo"}' % ("{" * 30_000_000))
# A string inside an OCA template component, a `oneOf` of component kinds:
# the schema validator copies the component into each kind's errors.
with open("string-30mb-in-oneof.json", "w") as f:
    f.write('{"message": {"type": "template", "template": {"template_code_id": "t", '
            '"payload": [{"position": "body", "parameters": [{"type": "text", "text": "%s"}]}]}}, '
            '"phone_number": "6281234567890"}' % ("Halo Kak " * (30_000_000 // 9)))
for depth in (10_000, 100_000, 1_000_000):
    with open("arrays-%d.json" % depth, "w") as f:
        f.write("[" * depth + "]" * depth)
    with open("objects-%d.json" % depth, "w") as f:
        f.write('{"a":' * depth + "1" + "}" * depth)
for n in range(20_000):
    d = "tree/d%03d" % (n // 200)
    os.makedirs(d, exist_ok=True)
    with open("%s/p%05d.json" % (d, n), "w") as f:
        f.write(failing if n % 997 == 0 else ok % n)
os.makedirs("loops/sub")
with open("loops/sub/a.json", "w") as f:
    f.write(failing)
os.symlink("..", "loops/sub/up")
os.symlink("self.json", "loops/self.json")
os.mkfifo("pipe.ndjson")
os.makedirs("locked")
for name in ("a.json", "b.json", "c.json"):
    with open("locked/" + name, "w") as f:
        f.write(failing if name == "c.json" else ok % 1)
os.chmod("locked/b.json", 0)
os.symlink("/proc/self/mem", "locked/mem.json")
EOF

# One case: its name, the pattern of the report line to show ('' for the
# summary line), and the paths. Prints the exit status, wall and CPU time
# (user + system), peak memory and that line.
case_() {
    name=$1
    pattern=${2:-^(ok|failed)}
    shift 2
    status=0
    timeout 600 /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" validate -e "${endpoint:-chatbot/sendwa}" \
        --format concise "$@" > "$work/out" 2> "$work/err" || status=$?
    # GNU time writes "Command exited with non-zero status N" first.
    set -- $(tail -n 1 "$work/time")
    said=$(grep -E "$pattern" "$work/out" | head -n 1 | cut -c1-120)
    printf '%-24s %4s %7s s %7s s %7s MiB  %s\n' "$name" "$status" "$1" \
        "$(awk "BEGIN { printf \"%.2f\", $2 + $3 }")" \
        "$(awk "BEGIN { printf \"%.1f\", $4 / 1024 }")" "$said"
}

cd "$work"
echo "preflight $("$bin" --version | cut -d' ' -f2), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-24s %4s %9s %9s %11s  %s\n' case exit wall cpu "peak RSS" "what it said"
case_ ndjson-2mb '' small.ndjson
case_ ndjson-200mb '' big.ndjson
case_ malformed-1m-lines 'parse-error' malformed.ndjson
case_ malformed-1m-lines '' malformed.ndjson
case_ string-30mb '' string-30mb.json
case_ string-30mb-xxx 'unfilled-placeholder' string-30mb-xxx.json
case_ string-30mb-braces 'phone-format' string-30mb-braces.json
endpoint=oca/push-message case_ string-30mb-in-oneof 'max-length' string-30mb-in-oneof.json
case_ string-50mb 'payload-too-large' string-50mb.json
for depth in 10000 100000 1000000; do
    case_ "nesting-arrays-$depth" 'parse-error' "arrays-$depth.json"
    case_ "nesting-objects-$depth" 'parse-error' "objects-$depth.json"
done
case_ files-20000 '' tree
case_ symlink-loop-in-a-walk 'loop back' loops
case_ symlink-to-itself 'itself' loops/self.json
case_ fifo-with-no-writer 'FIFO' pipe.ndjson
case_ dev-zero 'payload-too-large' /dev/zero
case_ unreadable-files 'cannot read' locked
case_ unreadable-files '' locked
# Two runs on one folder at once: the same report.
"$bin" validate -e chatbot/sendwa --format json tree > "$work/one.json" &
"$bin" validate -e chatbot/sendwa --format json tree > "$work/two.json" &
wait
if cmp -s "$work/one.json" "$work/two.json"; then
    echo "two-runs-at-once              the same report ($(wc -c < "$work/one.json") bytes each)"
else
    echo "two-runs-at-once              DIFFERENT reports"
    exit 1
fi
