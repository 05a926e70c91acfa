#!/usr/bin/env bash
# MoveNet MultiPose (one model run a frame, everyone at once) against per-person BlazePose (a
# detector, then one landmark run per person), side by side on the two multi-person fixtures:
# frames/s, person-frames/s, CPU seconds per run and per person-frame, people found per frame.
# Runs alternate between the pipelines so that a machine whose load drifts hurts them alike;
# medians are reported. Writes out/benchmark-movenet.md (also printed); outputs stay in
# out/bench-movenet/. Uses the release build (built when missing).
#
# Environment (all optional):
#   BENCH_RUNS=3                 timed runs per pipeline, clip and thread count
#   BENCH_THREADS="1 2"          posepipe --threads values
#   BENCH_MOVENET_SIDES="256 384"  MoveNet input long sides (256 is the shipped pipeline)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
RUNS="${BENCH_RUNS:-3}"
THREADS="${BENCH_THREADS:-1 2}"
SIDES="${BENCH_MOVENET_SIDES:-256 384}"
OUT="$ROOT/out/bench-movenet"
BIN="$ROOT/.build/release/posepipe"
CLIPS=(Fixtures/sports2d_demo.mp4 Fixtures/vtest_pedestrians.mp4)
mkdir -p "$OUT"

[[ -x "$BIN" ]] || { export PATH=/opt/swift/usr/bin:$PATH; swift build -c release --product posepipe >&2; }

# The shipped movenet description at each other long side, beside the shipped model.
PIPELINES=(blazepose)
for side in $SIDES; do
  if [[ "$side" == 256 ]]; then PIPELINES+=(movenet); continue; fi
  mkdir -p "$OUT/movenet-$side"
  sed -e "s|\"movenet.onnx\"|\"$ROOT/Pipelines/movenet/movenet.onnx\"|" -e "s|\"long_side\": 256|\"long_side\": $side|" \
    -e "s|\"name\": \"movenet\"|\"name\": \"movenet-$side\"|" Pipelines/movenet/pipeline.json > "$OUT/movenet-$side/pipeline.json"
  PIPELINES+=("$OUT/movenet-$side")
done

RESULTS="$OUT/runs.tsv"
printf 'clip\tpipeline\tthreads\trun\twall_s\tcpu_s\trss_mb\tframes\tperson_frames\n' > "$RESULTS"
for clip in "${CLIPS[@]}"; do
  for threads in $THREADS; do
    for run in $(seq 1 "$RUNS"); do
      for pipeline in "${PIPELINES[@]}"; do
        name="$(basename "$pipeline")"
        tracks="$OUT/$(basename "$clip" .mp4)-$name-t$threads.jsonl"
        /usr/bin/time -f '%e %U %S %M' -o "$OUT/time.txt" \
          "$BIN" "$clip" --pipeline "$pipeline" --threads "$threads" -q -o "$tracks"
        read -r wall user sys rss < "$OUT/time.txt"
        counts="$(python3 -c 'import json,sys
lines=[json.loads(l) for l in open(sys.argv[1])][1:]
print(len(lines), sum(len(l["persons"]) for l in lines))' "$tracks")"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(basename "$clip")" "$name" "$threads" "$run" "$wall" \
          "$(python3 -c "print(round($user + $sys, 2))")" "$((rss / 1024))" "${counts// /	}" >> "$RESULTS"
        printf 'benchmark-movenet: %s %s t%s run %s: %ss\n' "$(basename "$clip")" "$name" "$threads" "$run" "$wall" >&2
      done
    done
  done
done

python3 - "$RESULTS" "$(git rev-parse --short HEAD)" > "$ROOT/out/benchmark-movenet.md" <<'PY'
import csv, datetime, os, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
groups = {}
for r in rows:
    groups.setdefault((r["clip"], r["pipeline"], r["threads"]), []).append(r)
print(f"MoveNet vs BlazePose, {datetime.date.today()}, commit {sys.argv[2]}, {os.cpu_count()} cores, "
      f"load average {os.getloadavg()[0]:.1f} at the end; medians of {len(next(iter(groups.values())))} alternating runs\n")
print("| clip | pipeline | threads | frames/s | person-frames/s | people per frame | CPU s per run | CPU ms per person-frame | peak RSS MB |")
print("|---|---|---|---|---|---|---|---|---|")
for (clip, pipeline, threads), rs in groups.items():
    med = lambda k: statistics.median(float(r[k]) for r in rs)
    frames, people = int(rs[0]["frames"]), int(rs[0]["person_frames"])
    wall, cpu = med("wall_s"), med("cpu_s")
    print(f"| {clip} | {pipeline} | {threads} | {frames / wall:.1f} | {people / wall:.1f} | {people / frames:.2f} | "
          f"{cpu:.2f} | {1000 * cpu / max(people, 1):.1f} | {med('rss_mb'):.0f} |")
PY
# Agreement with BlazePose on the people both find (first thread count's runs): BlazePose's 17 COCO keypoints (of its 33) against
# MoveNet's, matched to the MoveNet person nearest by median keypoint distance.
python3 - "$OUT" "${THREADS%% *}" "${PIPELINES[@]}" >> "$ROOT/out/benchmark-movenet.md" <<'PY'
import json, os, sys
out, threads = sys.argv[1], sys.argv[2]
pipelines = [os.path.basename(p) for p in sys.argv[3:] if os.path.basename(p) != "blazepose"]
COCO_IN_BLAZEPOSE = [0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28]
def load(path): return [json.loads(line) for line in open(path)][1:]
def dist(a, b): return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
def median(v): return sorted(v)[len(v) // 2]
print("\n| clip | pipeline | BlazePose's people matched / unmatched | keypoint distance / person size, median / p90 |")
print("|---|---|---|---|")
for clip in ("sports2d_demo", "vtest_pedestrians"):
    for name in pipelines:
        reference, other = load(f"{out}/{clip}-blazepose-t{threads}.jsonl"), load(f"{out}/{clip}-{name}-t{threads}.jsonl")
        distances, matched, unmatched = [], 0, 0
        for a, b in zip(reference, other):
            for person in a["persons"]:
                ka = [person["keypoints"][i] for i in COCO_IN_BLAZEPOSE]
                clear = [k for k in ka if k[2] >= 0.5]
                if len(clear) < 2: continue
                size = max(max(k[0] for k in clear) - min(k[0] for k in clear), max(k[1] for k in clear) - min(k[1] for k in clear))
                best = min(b["persons"], default=None, key=lambda p: median([dist(x, y) for x, y in zip(ka, p["keypoints"])]))
                if best is None or median([dist(x, y) for x, y in zip(ka, best["keypoints"])]) > 0.5 * size:
                    unmatched += 1
                    continue
                matched += 1
                distances += [dist(x, y) / size for x, y in zip(ka, best["keypoints"]) if x[2] >= 0.5 and y[2] >= 0.3]
        distances.sort()
        print(f"| {clip} | {name} | {matched} / {unmatched} | {median(distances):.3f} / {distances[int(0.9 * len(distances))]:.3f} |")
PY
cat "$ROOT/out/benchmark-movenet.md"
