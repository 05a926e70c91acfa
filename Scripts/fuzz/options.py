"""Family `options`: every command with one to three options at their extremes (zero, negative,
huge, not a number, the largest Int, names that are not names), on a small clip and its tracks.
A case fails when it crashes, hangs, exits with a code the README does not list, or succeeds with
an invalid output."""

import shutil

from common import check_output, judge_process, run

NUMBERS = ["0", "-1", "1", "2", "3", "8", "64", "65", "1e-300", "1e308", "nan", "inf", "-inf", "9223372036854775807",
           "-9223372036854775808", "99999999999999999999", "0.5", "", "x", "1/0", "30000/1001", "0/0"]

PIPELINE_OPTIONS = ["--threads", "--detect-every", "--detect-tiles", "--frame-batch", "--max-people", "--offline-cutoff",
                    "--smoothing-lag", "--min-cutoff", "--beta", "--derivative-cutoff"]
FLAGS = ["--no-smoothing", "--no-side-repair", "--flip-test", "--angles", "--verbose"]
SMOOTHING = ["offline", "online", "none", "", "OFFLINE", "lagless"]


def pipeline_options(rng, count):
    chosen = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.6:
            chosen += [rng.choice(PIPELINE_OPTIONS), rng.choice(NUMBERS)]
        elif roll < 0.75:
            chosen += ["--smoothing", rng.choice(SMOOTHING)]
        elif roll < 0.85:
            chosen += ["--pipeline", rng.choice(["blazepose", "hrnet", "movenet", "mmpose-topdown", "none", ""])]
        else:
            chosen.append(rng.choice(FLAGS))
    return chosen


def case_arguments(ctx, out, rng):
    """(name, arguments, the output to check, frames a valid output has)."""
    clip, tracks = str(ctx.small_clip), str(ctx.small_tracks)
    kind = rng.choice(["run", "run", "render", "snapshot", "raw", "export", "plot"])
    extra = pipeline_options(rng, rng.randint(1, 3))
    if kind == "run":
        return kind, [clip, "-o", str(out / "t.jsonl"), "--quiet"] + extra, out / "t.jsonl", ctx.small_clip_frames
    if kind == "render":
        return kind, ["render", clip, "-o", str(out / "o.mp4"), "--quiet"] + extra, out / "o.mp4", ctx.small_clip_frames
    if kind == "snapshot":
        frame = rng.choice(["0", "2", "-1", "99", "9223372036854775807", "1e3", "x"])
        return kind, ["snapshot", clip, "--frame", frame, "-o", str(out / "s.png")] + extra, out / "s.png", None
    if kind == "raw":
        size = rng.choice(["192x144", "0x0", "1x1", "16384x16384", "-2x4", "192x", "x", "99999999999x2"])
        arguments = ["-", "--raw", size, "--pix-fmt", rng.choice(["rgb24", "gray", "uyyvyy411", "vaapi", "nv12", "x"]),
                     "--fps", rng.choice(NUMBERS), "-o", str(out / "r.jsonl"), "--quiet"]
        return kind, arguments, out / "r.jsonl", None
    if kind == "export":
        fmt = rng.choice(["openpose", "coco", "csv", "CSV", "", "json"])
        arguments = ["export", tracks, "--format", fmt, "-o", str(out / "e")] + (["--angles"] if rng.random() < 0.4 else [])
        return kind, arguments, out / "e", None
    joints = rng.choice(["nose", "", ",", "nose,,nose", "left_wrist,right_ankle,nose,left_hip,right_hip,left_knee", "x" * 300, "nose\u001b"])
    return kind, ["plot", tracks, "-o", str(out / "p.svg"), "--joints", joints], out / "p.svg", None


def raw_input(raw, arguments):
    """At most two frames of the size asked for: 165,888 frames of 1×1 pixels are a long run, not a hang."""
    width, _, height = arguments[arguments.index("--raw") + 1].partition("x")
    try:
        frame = int(width) * int(height) * 3
    except ValueError:
        return raw
    return raw[:2 * frame] if 0 < frame else raw


def fuzz(ctx, count):
    raw = ctx.raw_frames
    for index in range(count):
        out = ctx.work / "options-case"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        kind, arguments, target, frames = case_arguments(ctx, out, ctx.rng)
        outcome = run(ctx.binary, arguments, ctx.timeout, out, stdin_bytes=raw_input(raw, arguments) if kind == "raw" else None)
        verdict, reason = judge_process(outcome, usage_errors=True, verbose="--verbose" in arguments)
        if not verdict and outcome.code == 0 and kind != "raw":
            # Smoothing, frame batches and thread counts never change how many frames there are.
            problem = check_output(target, frames)
            if problem:
                verdict, reason = "invalid", problem
        ctx.recorder.record("options", index, verdict, reason, f"{kind} {' '.join(arguments[-6:])}", arguments, outcome.code, outcome.stderr)
