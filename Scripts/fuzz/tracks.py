"""Family `tracks`: real track files, mutated in their JSON (extreme numbers, wrong types, missing
fields, broken skeletons, frame numbers duplicated, negative, huge or out of order, control
characters, thousands of people) and in their bytes (cuts, flips, NULs, stray newlines), given to
export (openpose, coco, csv, csv --angles), render --tracks and plot.

Beyond crashes and hangs, a case fails when the input file changed, a temporary file was left, a
failed command left an output under its final name, or a success wrote an output that is not
valid for its kind (tracks, CSV, JSON, SVG as XML, a video with the input's frames)."""

import json
import shutil

from common import check_output, fingerprint, judge_process, leftovers, run

EXTREMES = [0, -1, 1, 0.5, -0.5, 1e19, -9.3e18, 1e308, -1e308, 2 ** 63 - 1, -(2 ** 63), 2 ** 64, 1e-320, 1e17 + 2, 123456789.123]
ODD_VALUES = ["", "x\u0001\u001b[2J\u007f", "\ufffe", None, True, [], {}, [[1]], "😀" * 50]


def records(text):
    lines = text.split(b"\n")
    return [json.loads(line) for line in lines if line.strip()]


def numeric_spots(node, path=()):
    if isinstance(node, bool):
        return
    if isinstance(node, (int, float)):
        yield path
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from numeric_spots(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from numeric_spots(value, path + (index,))


def set_at(tree, path, value):
    for key in path[:-1]:
        tree = tree[key]
    tree[path[-1]] = value


def json_mutation(lines, rng):
    """One structural change to the parsed lines; returns its name."""
    kind = rng.choice(["number", "number", "type", "delete", "duplicate", "swap", "renumber", "skeleton", "keypoints",
                       "crowd", "pts", "source", "header"])
    header, frames = lines[0], lines[1:]
    target = rng.randrange(len(lines))
    if kind == "number":
        spots = list(numeric_spots(lines[target]))
        if spots:
            set_at(lines[target], rng.choice(spots), rng.choice(EXTREMES))
    elif kind == "type":
        keys = list(lines[target].keys())
        lines[target][rng.choice(keys)] = rng.choice(ODD_VALUES + [rng.choice(EXTREMES)])
    elif kind == "delete":
        keys = list(lines[target].keys())
        del lines[target][rng.choice(keys)]
    elif kind == "duplicate" and frames:
        at = rng.randrange(1, len(lines))
        lines.insert(at, json.loads(json.dumps(lines[at])))
    elif kind == "swap" and len(frames) > 1:
        a, b = rng.sample(range(1, len(lines)), 2)
        lines[a], lines[b] = lines[b], lines[a]
    elif kind == "renumber" and frames:
        rng.choice(frames)["frame"] = rng.choice([-1, -(2 ** 63), 2 ** 63 - 1, 10 ** 6, 0])
    elif kind == "skeleton":
        header["skeleton"] = header.get("skeleton", []) + [rng.choice([[0, 99], [-1, 2], [1], [], [0, 1, 2], [2 ** 62, 0]])]
    elif kind == "keypoints":
        names = header.get("keypoints", [])
        header["keypoints"] = names[:rng.randrange(len(names) + 1)] if rng.random() < 0.5 else names + ["extra"]
    elif kind == "crowd" and frames:
        frame = rng.choice(frames)
        people = frame.get("persons") or [{"id": 1, "score": 0.9, "box": [0, 0, 1, 1], "keypoints": [[1, 1, 0.9]] * len(header.get("keypoints", []))}]
        frame["persons"] = [dict(people[i % len(people)], id=i) for i in range(rng.choice([100, 2000]))]
    elif kind == "pts":
        base = rng.choice([1e17, -1e17, 0, 1e300])
        for i, frame in enumerate(frames):
            frame["pts"] = base + 2 * i * rng.choice([1, -1, 0])
    elif kind == "source":
        header["source"] = rng.choice(ODD_VALUES[:3]) + "clip\n\u0000.mp4"
    else:
        header[rng.choice(["width", "height", "version", "fps", "rotation"])] = rng.choice(EXTREMES)
    return kind


def byte_mutation(data, rng):
    data = bytearray(data)
    kind = rng.choice(["cut", "flip", "nuls", "newline", "crlf", "no-final-newline", "garbage"])
    n = len(data)
    if kind == "cut":
        del data[rng.randrange(1, n):]
    elif kind == "flip":
        for _ in range(rng.randint(1, 16)):
            data[rng.randrange(n)] ^= 1 << rng.randrange(8)
    elif kind == "nuls":
        at = rng.randrange(n)
        data[at:at] = bytes(rng.choice([1, 4096, 1 << 20]))
    elif kind == "newline":
        at = rng.randrange(n)
        data[at:at] = b"\n"
    elif kind == "crlf":
        data = bytearray(bytes(data).replace(b"\n", b"\r\n"))
    elif kind == "no-final-newline":
        data = data.rstrip(b"\n")
    else:
        data += bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
    return bytes(data), kind


def mutant(seed, rng):
    lines = records(seed)
    kinds = [json_mutation(lines, rng) for _ in range(rng.randint(1, 2))]
    data = ("\n".join(json.dumps(line, allow_nan=False) if rng.random() < 0.95 else json.dumps(line) for line in lines) + "\n").encode()
    if rng.random() < 0.3:
        data, kind = byte_mutation(data, rng)
        kinds.append(kind)
    return data, "+".join(kinds)


def command(ctx, tracks, out, rng):
    kind = rng.choice(["openpose", "coco", "csv", "csv-angles", "render", "render", "plot", "plot-joints"])
    if kind == "render":
        return kind, ["render", str(ctx.track_clip), "--tracks", str(tracks), "-o", str(out / "overlay.mp4"), "--quiet"], out / "overlay.mp4"
    if kind.startswith("plot"):
        joints = ["--joints", rng.choice(["nose", "left_wrist,right_ankle,nose", "nose,nose", "", ",", "left_hip\u001b"])] if kind == "plot-joints" else []
        return kind, ["plot", str(tracks), "-o", str(out / "plot.svg")] + joints, out / "plot.svg"
    if kind == "openpose":
        return kind, ["export", str(tracks), "--format", "openpose", "-o", str(out / "pose")], out / "pose"
    target = out / ("results.json" if kind == "coco" else "table.csv")
    angles = ["--angles"] if kind == "csv-angles" else []
    return kind, ["export", str(tracks), "--format", "coco" if kind == "coco" else "csv", "-o", str(target)] + angles, target


def judge(ctx, outcome, kind, tracks, before, target, out):
    verdict, reason = judge_process(outcome, usage_errors=True)
    if verdict:
        return verdict, reason
    if fingerprint(tracks) != before:
        return "loss", "the track file changed"
    if leftovers(out):
        return "loss", f"temporary files left: {leftovers(out)}"
    if outcome.code != 0:
        written = [p.name for p in out.iterdir()] if out.exists() else []
        if written:
            return "loss", f"a failed {kind} left {written}"
        return None, None
    problem = check_output(target, ctx.track_frames if kind == "render" else None)
    return ("invalid", problem) if problem else (None, None)


def fuzz(ctx, count):
    seeds = [ctx.seed_tracks, ctx.seed_tracks_angles]
    for index in range(count):
        data, kinds = mutant(seeds[index % len(seeds)], ctx.rng)
        case = ctx.work / "tracks-case"
        shutil.rmtree(case, ignore_errors=True)
        out = case / "out"
        out.mkdir(parents=True)
        tracks = case / "t.mp4.jsonl"
        tracks.write_bytes(data)
        before = fingerprint(tracks)
        kind, arguments, target = command(ctx, tracks, out, ctx.rng)
        outcome = run(ctx.binary, arguments, ctx.timeout, case)
        verdict, reason = judge(ctx, outcome, kind, tracks, before, target, out)
        ctx.recorder.record("tracks", index, verdict, reason, f"{kind} {kinds} {len(data)} bytes", arguments, outcome.code, outcome.stderr,
                            {"t.mp4.jsonl": data})
