#!/usr/bin/env python3
"""Runs posepipe on mutated inputs and reports crashes, hangs and invalid outputs.

Two families of cases:
  containers  clips made with FFmpeg from Fixtures/ in several codecs and containers, then
              mutated (byte flips, truncation, chunk duplication, deletion, zeroing), run from a
              file and from standard input;
  pipelines   Pipelines/blazepose copied to a temporary folder with numbers, types and shapes
              of pipeline.json mutated, run with --pipeline DIR.

A case fails as
  crash    killed by a signal, or an exit code of 128 or more other than 130/143, or a Swift
           crash trace on stderr;
  hang     still running after the per-case timeout;
  invalid  an exit code the README does not list, a line of output that is not complete JSON,
           frame numbers with a gap, exit 0 without a single frame, or stderr other than one
           `posepipe: …` line for an error (at most a few `posepipe: warning: …` lines for a success).

Failing cases are kept under out/fuzz/ with the command that reproduces them. The last line is a
summary; the exit code is 1 when any case failed.
"""

import argparse
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTED_EXITS = {0, 64, 65, 66, 69, 70, 73, 75, 78, 130, 143}
CRASH_MARKS = ("Fatal error", "Backtrace", "Stack dump", "Crash", "Illegal instruction", "Segmentation fault", "Current stack trace")
MAX_WARNINGS = 4

# (name, extension, ffmpeg output arguments); every seed is 12 frames of 192x144.
SEEDS = [
    ("h264-mp4", "mp4", ["-c:v", "libx264", "-preset", "ultrafast"]),
    ("h264-faststart-mp4", "mp4", ["-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+faststart"]),
    ("h264-mkv", "mkv", ["-c:v", "libx264", "-preset", "ultrafast"]),
    ("h264-ts", "ts", ["-c:v", "libx264", "-preset", "ultrafast", "-g", "4"]),
    ("hevc-mkv", "mkv", ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=none"]),
    ("vp9-webm", "webm", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k"]),
    ("vp8-webm", "webm", ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k"]),
    ("mpeg4-avi", "avi", ["-c:v", "mpeg4", "-q:v", "5"]),
    ("mjpeg-mov", "mov", ["-c:v", "mjpeg", "-q:v", "5"]),
    ("mpeg2-mpg", "mpg", ["-c:v", "mpeg2video", "-q:v", "5"]),
    ("ffv1-nut", "nut", ["-c:v", "ffv1"]),
    ("raw-y4m", "y4m", ["-pix_fmt", "yuv420p"]),
    ("theora-ogv", "ogv", ["-c:v", "libtheora", "-q:v", "5"]),
]


def make_seeds(folder):
    seeds = []
    for name, ext, codec in SEEDS:
        path = folder / f"{name}.{ext}"
        command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", str(ROOT / "Fixtures/vtest_pedestrians.mp4"),
                   "-frames:v", "12", "-vf", "scale=192:144", "-an"] + codec + [str(path)]
        if subprocess.run(command).returncode == 0:
            seeds.append((name, ext, path.read_bytes()))
        else:
            print(f"fuzz: skipping seed {name}: ffmpeg could not make it", file=sys.stderr)
    return seeds


def mutate(data, rng):
    """One to three mutations of the kinds fuzzers find container bugs with."""
    data = bytearray(data)
    kinds = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["flip", "flip-header", "truncate", "duplicate", "delete", "zero", "insert"])
        kinds.append(kind)
        n = len(data)
        if n < 16:
            break
        if kind == "flip":
            for _ in range(rng.randint(1, 24)):
                data[rng.randrange(n)] ^= 1 << rng.randrange(8)
        elif kind == "flip-header":
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(min(n, 4096))] = rng.randrange(256)
        elif kind == "truncate":
            del data[rng.randrange(1, n):]
        elif kind == "duplicate":
            start = rng.randrange(n)
            chunk = data[start:start + rng.randint(1, 8192)]
            at = rng.randrange(n)
            data[at:at] = chunk
        elif kind == "delete":
            start = rng.randrange(n)
            del data[start:start + rng.randint(1, 4096)]
        elif kind == "zero":
            start = rng.randrange(n)
            length = min(rng.randint(1, 4096), n - start)
            data[start:start + length] = bytes(length)
        elif kind == "insert":
            at = rng.randrange(n)
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    return bytes(data), "+".join(kinds)


# Values a careless or hostile pipeline.json might hold.
NUMBERS = [0, -1, -3, -224, 1, 2, 3, 50, 0.5, -0.5, 1e-300, 1e9, 1e12, 2 ** 62, 2 ** 63 - 1, -(2 ** 63), 1e308, -1e308]
OTHERS = ["", "x", None, True, [], {}, [0], [[1]], {"a": 1}]


def leaves(node, path=()):
    """Every (path, value) in a JSON tree, containers included."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, path + (index,))


def set_at(tree, path, value):
    node = tree
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def mutate_description(description, rng):
    tree = json.loads(json.dumps(description))
    kinds = []
    for _ in range(rng.randint(1, 2)):
        spots = [(p, v) for p, v in leaves(tree) if p]
        # The skeleton's 70 indices would draw most picks; the numbers that size models and
        # buffers (strides, widths, shapes, thresholds) are where descriptions go wrong.
        if rng.random() < 0.9:
            spots = [(p, v) for p, v in spots if p[0] not in ("skeleton", "keypoints")]
        numeric = [(p, v) for p, v in spots if isinstance(v, (int, float)) and not isinstance(v, bool)]
        arrays = [(p, v) for p, v in spots if isinstance(v, list)]
        kind = rng.choice(["number", "number", "number", "type", "shape", "delete"])
        if kind == "number" and numeric:
            path, _ = rng.choice(numeric)
            set_at(tree, path, rng.choice(NUMBERS))
        elif kind == "shape" and arrays:
            path, value = rng.choice(arrays)
            choice = rng.randrange(4)
            if choice == 0:
                value = []
            elif choice == 1 and value:
                value = value[:-1]
            elif choice == 2:
                value = value + [rng.choice(NUMBERS)]
            else:
                value = [rng.choice(NUMBERS) for _ in value]
            set_at(tree, path, value)
        elif kind == "delete":
            path, _ = rng.choice(spots)
            parent = tree
            for key in path[:-1]:
                parent = parent[key]
            del parent[path[-1]]
        else:
            kind = "type"
            path, _ = rng.choice(spots)
            set_at(tree, path, rng.choice(OTHERS + [rng.choice(NUMBERS)]))
        kinds.append(f"{kind}@{'.'.join(map(str, path))}")
    return tree, "+".join(kinds)


def limit_resources():
    # A description asking for 24 GB must fail here, not take the machine down.
    resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))
    os.setpgrp()


def run(binary, arguments, stdin_bytes, timeout, cwd):
    started = time.monotonic()
    process = subprocess.Popen([binary] + arguments, stdin=subprocess.PIPE if stdin_bytes is not None else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, preexec_fn=limit_resources)
    try:
        stdout, stderr = process.communicate(stdin_bytes, timeout=timeout)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        hung = True
    return process.returncode, stdout, stderr.decode("utf-8", "replace"), hung, time.monotonic() - started


def check_tracks(text):
    """Problems with a track file's text: complete JSON lines, a header, frames from 0 without a gap."""
    if not text:
        return None
    if not text.endswith(b"\n"):
        return "the last line is incomplete"
    lines = text.split(b"\n")[:-1]
    try:
        records = [json.loads(line) for line in lines]
    except ValueError as error:
        return f"a line is not JSON: {error}"
    if not records or records[0].get("schema") != "posepipe.tracks":
        return "no header line"
    frames = [record.get("frame") for record in records[1:]]
    if frames != list(range(len(frames))):
        return f"frame numbers with a gap: {frames[:12]}…"
    return None


def judge(code, stdout, stderr, hung, output_text):
    if hung:
        return "hang", "no exit within the timeout"
    if code < 0 and code not in (-signal.SIGINT, -signal.SIGTERM):
        return "crash", f"killed by signal {-code}"
    if code >= 128 and code not in (130, 143):
        return "crash", f"exit {code}"
    if any(mark in stderr for mark in CRASH_MARKS):
        return "crash", "a crash trace on stderr"
    if code not in DOCUMENTED_EXITS:
        return "invalid", f"undocumented exit {code}"
    lines = stderr.splitlines()
    if code == 0:
        if len(lines) > MAX_WARNINGS or any(not line.startswith("posepipe: warning: ") for line in lines):
            return "invalid", f"stderr of a success: {lines[:6]}"
    elif len(lines) != 1 or not lines[0].startswith("posepipe: "):
        return "invalid", f"stderr of exit {code} is not one posepipe line: {lines[:6]}"
    problem = check_tracks(output_text)
    if problem:
        return "invalid", problem
    if code == 0 and output_text.count(b"\n") < 2:
        return "invalid", "exit 0 without a single frame"
    return None, None


def keep(folder, index, family, detail, arguments, input_bytes, description, stderr, binary):
    case = folder / f"{family}-{index:04d}"
    case.mkdir(parents=True, exist_ok=True)
    if input_bytes is not None:
        (case / "input.bin").write_bytes(input_bytes)
    if description is not None:
        (case / "pipeline.json").write_text(json.dumps(description, indent=1))
    (case / "stderr.txt").write_text(stderr)
    (case / "case.txt").write_text(f"{detail}\n{binary} {' '.join(arguments)}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--containers", type=int, default=300, help="mutated containers (each run from a file or from stdin)")
    parser.add_argument("--pipelines", type=int, default=80, help="mutated pipeline descriptions")
    parser.add_argument("--timeout", type=float, default=30, help="seconds a case may take")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", default=str(ROOT / "out/fuzz"), help="where failing cases are kept")
    options = parser.parse_args()

    rng = random.Random(options.seed)
    binary = str(Path(options.binary).resolve())
    kept = Path(options.keep)
    shutil.rmtree(kept, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix="posepipe-fuzz-"))
    started = time.monotonic()
    tally = {}
    failures = []
    exits = {}

    def record(family, index, verdict, reason, detail, arguments, input_bytes, description, stderr, code):
        counts = tally.setdefault(family, {"cases": 0, "crash": 0, "hang": 0, "invalid": 0})
        counts["cases"] += 1
        exits.setdefault(family, {}).setdefault(code, 0)
        exits[family][code] += 1
        if verdict:
            counts[verdict] += 1
            failures.append(f"{family} #{index} {verdict}: {reason} ({detail})")
            keep(kept, index, family, f"{verdict}: {reason}; {detail}", arguments, input_bytes, description, stderr, binary)

    try:
        seeds = make_seeds(work)
        clip = work / "clip.mp4"
        subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", str(ROOT / "Fixtures/vtest_pedestrians.mp4"),
                        "-frames:v", "3", "-vf", "scale=192:144", "-c:v", "libx264", "-preset", "ultrafast", "-an", str(clip)], check=True)

        for index in range(options.containers):
            name, ext, original = seeds[index % len(seeds)]
            data, kinds = mutate(original, rng)
            from_stdin = index % 2 == 1
            detail = f"{name} {kinds} {'stdin' if from_stdin else 'file'} {len(data)} bytes"
            output = work / "out.jsonl"
            output.unlink(missing_ok=True)
            if from_stdin:
                arguments = ["-", "-o", "-", "--quiet"]
                code, stdout, stderr, hung, _ = run(binary, arguments, data, options.timeout, work)
                text = stdout
            else:
                path = work / f"mutant.{ext}"
                path.write_bytes(data)
                arguments = [str(path), "-o", str(output), "--quiet"]
                code, stdout, stderr, hung, _ = run(binary, arguments, None, options.timeout, work)
                text = output.read_bytes() if output.exists() else b""
            verdict, reason = judge(code, stdout, stderr, hung, text)
            record("containers", index, verdict, reason, detail, arguments, data, None, stderr, code)

        original = json.loads((ROOT / "Pipelines/blazepose/pipeline.json").read_text())
        # The parts the description names by file are written inline, so mutations reach them too.
        detector = json.loads((ROOT / "Pipelines/detectors/blazepose/detector.json").read_text())
        detector["model"] = str(ROOT / "Pipelines/blazepose/pose_detection.onnx")
        original["detector"] = detector
        original["keypoints"] = json.loads((ROOT / "Pipelines/keypoints" / (original["keypoints"] + ".json")).read_text())
        folder = work / "pipeline"
        folder.mkdir()
        for model in (ROOT / "Pipelines/blazepose").glob("*.onnx"):
            (folder / model.name).symlink_to(model)
        for index in range(options.pipelines):
            description, kinds = mutate_description(original, rng)
            (folder / "pipeline.json").write_text(json.dumps(description))
            output = work / "out.jsonl"
            output.unlink(missing_ok=True)
            arguments = [str(clip), "-o", str(output), "--quiet", "--pipeline", str(folder)]
            code, stdout, stderr, hung, _ = run(binary, arguments, None, options.timeout, work)
            text = output.read_bytes() if output.exists() else b""
            verdict, reason = judge(code, stdout, stderr, hung, text)
            record("pipelines", index, verdict, reason, kinds, arguments, None, description, stderr, code)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    for line in failures:
        print("fuzz: " + line)
    parts = []
    for family, counts in tally.items():
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(exits[family].items()))
        parts.append(f"{family}: {counts['cases']} cases, {counts['crash']} crashes, {counts['hang']} hangs, "
                     f"{counts['invalid']} invalid (exit codes {codes})")
    total = {key: sum(counts[key] for counts in tally.values()) for key in ("cases", "crash", "hang", "invalid")}
    print(f"fuzz: {total['cases']} cases in {time.monotonic() - started:.0f} s: {total['crash']} crashes, {total['hang']} hangs, "
          f"{total['invalid']} invalid outputs; " + "; ".join(parts) + (f"; failing cases kept in {kept}" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
