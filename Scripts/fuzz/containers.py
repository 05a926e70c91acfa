"""Family `containers`: clips in many codecs and containers, mutated the way fuzzers find
container bugs, run from a file and from standard input."""

import subprocess
import sys

from common import ROOT, check_tracks, judge_process, run

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
    """One to three mutations: byte flips, header bytes, truncation, duplicated, deleted, zeroed and inserted runs."""
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


def judge(outcome, text):
    verdict, reason = judge_process(outcome)
    if verdict:
        return verdict, reason
    if outcome.code == 0 or text:
        problem = check_tracks(text)
        if problem:
            return "invalid", problem
    return None, None


def fuzz(ctx, count):
    seeds = make_seeds(ctx.work)
    for index in range(count):
        name, ext, original = seeds[index % len(seeds)]
        data, kinds = mutate(original, ctx.rng)
        from_stdin = index % 2 == 1
        detail = f"{name} {kinds} {'stdin' if from_stdin else 'file'} {len(data)} bytes"
        output = ctx.work / "out.jsonl"
        output.unlink(missing_ok=True)
        if from_stdin:
            arguments = ["-", "-o", "-", "--quiet"]
            outcome = run(ctx.binary, arguments, ctx.timeout, ctx.work, stdin_bytes=data)
            text = outcome.stdout
        else:
            path = ctx.work / f"mutant.{ext}"
            path.write_bytes(data)
            arguments = [str(path), "-o", str(output), "--quiet"]
            outcome = run(ctx.binary, arguments, ctx.timeout, ctx.work)
            text = output.read_bytes() if output.exists() else b""
        verdict, reason = judge(outcome, text)
        ctx.recorder.record("containers", index, verdict, reason, detail, arguments, outcome.code, outcome.stderr, {"input.bin": data})
