"""Family `outputs`: every command's output path (-o, --overlay, --report) set to what a user or
another user may have put there: a symbolic link to a file, to a folder, dangling; a second hard
link to a file; a named pipe with and without a reader; /dev/null and /dev/full; a folder; a
missing folder; the input itself; names with newlines and escapes, empty or too long.

A case fails, besides crashing or hanging, when something at or behind the path changed that must
not (the file a link points to, the other hard link's content, a pipe or device replaced), when a
failed command changed what was at the path, when a temporary file is left, or when a success
wrote an invalid output."""

import os
import shutil
import threading
from pathlib import Path

from common import check_output, fingerprint, judge_process, leftovers, run

KINDS = ["new", "regular", "symlink-file", "symlink-folder", "symlink-dangling", "hardlink", "fifo", "fifo-read", "dev-null",
         "dev-full", "folder", "missing-folder", "input", "odd-name", "empty", "long-name"]


def commands(ctx):
    """(name, arguments with OUT where the output goes, extension of OUT, frames of a valid output)."""
    clip, tracks, clips = str(ctx.small_clip), str(ctx.small_tracks), str(ctx.clips)
    return [
        ("run", [clip, "-o", "OUT", "--quiet"], ".jsonl", ctx.small_clip_frames),
        ("run-overlay", [clip, "-o", "{case}/side.jsonl", "--overlay", "OUT", "--quiet"], ".mp4", ctx.small_clip_frames),
        ("snapshot", ["snapshot", clip, "--frame", "1", "-o", "OUT"], ".png", None),
        ("render", ["render", clip, "-o", "OUT", "--quiet"], ".mp4", ctx.small_clip_frames),
        ("render-tracks", ["render", clip, "--tracks", tracks, "-o", "OUT", "--quiet"], ".mp4", ctx.small_clip_frames),
        ("export-csv", ["export", tracks, "--format", "csv", "-o", "OUT"], ".csv", None),
        ("export-coco", ["export", tracks, "--format", "coco", "-o", "OUT"], ".json", None),
        ("export-openpose", ["export", tracks, "--format", "openpose", "-o", "OUT"], "", None),
        ("plot", ["plot", tracks, "-o", "OUT"], ".svg", None),
        ("folder-report", [clips, "-o", "{case}/tracks", "--quiet", "--report", "OUT"], ".json", None),
        ("folder-output", [clips, "-o", "OUT", "--quiet"], "", None),
    ]


def place(kind, case, extension, victim, input_path):
    """Puts `kind` at the output path; returns the path and what must stay untouched."""
    name = "out" + extension
    path = case / name
    watched = {victim: fingerprint(victim)}
    if kind == "regular":
        path.write_bytes(b"old output\n")
    elif kind == "symlink-file":
        os.symlink(victim, path)
    elif kind == "symlink-folder":
        os.symlink(victim.parent / "keep", path)
        watched[victim.parent / "keep" / "kept.txt"] = fingerprint(victim.parent / "keep" / "kept.txt")
    elif kind == "symlink-dangling":
        os.symlink(case / "nowhere", path)
    elif kind == "hardlink":
        os.link(victim, path)
    elif kind in ("fifo", "fifo-read"):
        os.mkfifo(path)
    elif kind in ("dev-null", "dev-full"):
        path = Path("/dev/null" if kind == "dev-null" else "/dev/full")
    elif kind == "folder":
        path.mkdir()
        (path / "kept.txt").write_bytes(b"kept\n")
        watched[path / "kept.txt"] = fingerprint(path / "kept.txt")
    elif kind == "missing-folder":
        path = case / "no" / "such" / name
    elif kind == "input":
        path = Path(input_path)
    elif kind == "odd-name":
        path = case / ("a\nb\u001b[2J \u00e9" + name)
    elif kind == "empty":
        path = ""
    elif kind == "long-name":
        path = case / ("x" * 300 + extension)
    if kind in ("fifo", "fifo-read", "dev-null", "dev-full", "input"):
        watched[path] = fingerprint(path)
    return str(path), watched


def drain(path):
    """A reader for a named pipe: takes everything written to it."""
    def read():
        try:
            with open(path, "rb") as pipe:
                while pipe.read(1 << 16):
                    pass
        except OSError:
            pass
    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def judge(outcome, name, kind, path, before, watched, case, frames):
    verdict, reason = judge_process(outcome, usage_errors=True)
    if verdict:
        return verdict, reason
    for watched_path, fingerprint_before in watched.items():
        if fingerprint(watched_path) != fingerprint_before:
            return "loss", f"{watched_path} changed"
    if leftovers(case):
        return "loss", f"temporary files left: {leftovers(case)}"
    # A link where a file goes is refused as unwritable; a folder run's -o must be a folder (64 otherwise).
    if kind.startswith("symlink") and kind != "symlink-folder" and outcome.code != 73 and not (name == "folder-output" and outcome.code == 64):
        return "invalid", f"a link at the output gave exit {outcome.code}, not 73"
    if outcome.code != 0:
        if path and fingerprint(path) != before:
            return "loss", "a failed command changed what was at the output"
        return None, None
    if kind in ("fifo-read", "dev-null") or not path or os.path.isdir(path) and kind in ("folder", "symlink-folder"):
        return None, None
    problem = check_output(path, frames)
    return ("invalid", problem) if problem else (None, None)


def fuzz(ctx, count):
    # A folder run onto its own clips folder would write track files among the shared clips.
    cases = [(name, kind) for name in [c[0] for c in commands(ctx)] for kind in KINDS if (name, kind) != ("folder-output", "input")]
    table = {c[0]: c for c in commands(ctx)}
    for index in range(count):
        name, kind = cases[index % len(cases)]
        _, template, extension, frames = table[name]
        case = ctx.work / "outputs-case"
        shutil.rmtree(case, ignore_errors=True)
        (case / "keep").mkdir(parents=True)
        (case / "keep" / "kept.txt").write_bytes(b"kept\n")
        victim = case / "victim"
        victim.write_bytes(b"precious\n")
        input_path = template[1] if template[0] in ("snapshot", "render", "export", "plot") else template[0]
        path, watched = place(kind, case, extension, victim, input_path)
        before = fingerprint(path)
        arguments = [path if a == "OUT" else a.replace("{case}", str(case)) for a in template]
        reader = drain(path) if kind == "fifo-read" else None
        outcome = run(ctx.binary, arguments, ctx.timeout, case)
        if reader is not None and reader.is_alive():
            # posepipe never opened the pipe: let the reader's open return.
            with open(path, "wb"):
                pass
        verdict, reason = judge(outcome, name, kind, path, before, watched, case, frames)
        ctx.recorder.record("outputs", index, verdict, reason, f"{name} {kind}", arguments, outcome.code, outcome.stderr)
