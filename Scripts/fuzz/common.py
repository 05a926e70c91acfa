"""What every fuzz family shares: running posepipe with bounds, judging what it did, checking
outputs by kind, noticing data loss, and keeping the failing cases."""

import hashlib
import json
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import time
import xml.dom.minidom
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DOCUMENTED_EXITS = {0, 64, 65, 66, 69, 70, 73, 75, 78, 130, 143}
CRASH_MARKS = ("Fatal error", "Backtrace", "Stack dump", "Crash", "Illegal instruction", "Segmentation fault", "Current stack trace")
MAX_WARNINGS = 4


def ffmpeg(*arguments):
    subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *arguments], check=True)


def clip(path, source="Fixtures/sports2d_demo.mp4", frames=12, size="192:144", start=0, extra=("-c:v", "libx264", "-preset", "ultrafast", "-an")):
    ffmpeg("-ss", str(start), "-i", str(ROOT / source), "-frames:v", str(frames), "-vf", f"scale={size}", *extra, str(path))
    return path


def limit_resources():
    # A case asking for 24 GB must fail here, not take the machine down.
    resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))
    os.setpgrp()


class Outcome:
    def __init__(self, code, stdout, stderr, hung, seconds):
        self.code, self.stdout, self.stderr, self.hung, self.seconds = code, stdout, stderr, hung, seconds


def run(binary, arguments, timeout, cwd, stdin_bytes=None, shell_prefix=None):
    """posepipe ARGUMENTS, killed with its process group after `timeout` seconds."""
    started = time.monotonic()
    command = [binary] + arguments
    process = subprocess.Popen(command, stdin=subprocess.PIPE if stdin_bytes is not None else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, preexec_fn=limit_resources)
    try:
        stdout, stderr = process.communicate(stdin_bytes, timeout=timeout)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        hung = True
    return Outcome(process.returncode, stdout, stderr.decode("utf-8", "replace"), hung, time.monotonic() - started)


def allowed_on_success(line, verbose):
    """Lines a success may print: warnings, a folder run's summary, and --verbose's timings."""
    return (line.startswith("posepipe: warning: ") or re.match(r"posepipe: \d+ done", line) is not None
            or (verbose and not line.startswith("posepipe: ")))


def judge_process(outcome, usage_errors=False, verbose=False):
    """Crash, hang, undocumented exit, or stderr other than one `posepipe: …` line for an error
    (the argument parser's `Error: …` and usage lines for 64 when `usage_errors`)."""
    if outcome.hung:
        return "hang", "no exit within the timeout"
    code = outcome.code
    if code < 0 and code not in (-signal.SIGINT, -signal.SIGTERM):
        return "crash", f"killed by signal {-code}"
    if code >= 128 and code not in (130, 143):
        return "crash", f"exit {code}"
    if any(mark in outcome.stderr for mark in CRASH_MARKS):
        return "crash", "a crash trace on stderr"
    if code not in DOCUMENTED_EXITS:
        return "invalid", f"undocumented exit {code}"
    lines = outcome.stderr.splitlines()
    if code == 0:
        if len(lines) > MAX_WARNINGS or any(not allowed_on_success(line, verbose) for line in lines):
            return "invalid", f"stderr of a success: {lines[:6]}"
    elif usage_errors and code == 64 and lines and lines[0].startswith("Error: "):
        return None, None
    elif len(lines) != 1 or not lines[0].startswith("posepipe: "):
        return "invalid", f"stderr of exit {code} is not one posepipe line: {lines[:6]}"
    return None, None


def check_tracks(text, frames=None):
    """Problems with a track file's text: complete JSON lines, a header, frames from 0 without a gap."""
    if not text:
        return "no tracks"
    if not text.endswith(b"\n"):
        return "the last line is incomplete"
    try:
        records = [json.loads(line) for line in text.split(b"\n")[:-1]]
    except ValueError as error:
        return f"a line is not JSON: {error}"
    if not records or not isinstance(records[0], dict) or records[0].get("schema") != "posepipe.tracks":
        return "no header line"
    numbers = [record.get("frame") for record in records[1:]]
    if numbers != list(range(len(numbers))):
        return f"frame numbers with a gap: {numbers[:12]}…"
    if frames is not None and len(numbers) != frames:
        return f"{len(numbers)} frames, the input has {frames}"
    return None


def video_frames(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries", "stream=nb_read_packets",
                          "-of", "csv=p=0", str(path)], capture_output=True, text=True)
    try:
        return int(out.stdout.strip().split(",")[0])
    except ValueError:
        return None


def check_output(path, frames=None):
    """Problems with a written output, by its kind: tracks, video, PNG, SVG, JSON, CSV, a folder of those."""
    path = Path(path)
    if not path.exists():
        return f"{path.name} was not written"
    if path.is_dir():
        files = [p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)]
        if not files:
            return f"{path.name} is an empty folder"
        for file in files:
            problem = check_output(file)
            if problem:
                return f"{file.relative_to(path)}: {problem}"
        return None
    data = path.read_bytes()
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            return check_tracks(data, frames)
        if suffix in (".mp4", ".mkv", ".mov"):
            count = video_frames(path)
            return None if count and (frames is None or count == frames) else f"{count} frames in the video, the input has {frames}"
        if suffix == ".png":
            return None if data.startswith(b"\x89PNG") else "not a PNG"
        if suffix == ".svg":
            xml.dom.minidom.parseString(data)
            return None
        if suffix == ".json":
            json.loads(data)
            return None
        if suffix == ".csv":
            rows = data.decode("utf-8").split("\n")
            widths = {len(row.split(",")) for row in rows[:-1]}
            return None if data.endswith(b"\n") and len(widths) == 1 else f"CSV rows of {sorted(widths)} cells"
    except Exception as error:  # any parse error is the finding
        return f"not readable as {suffix}: {error}"
    return None if data else "empty"


def leftovers(folder):
    """Temporary files or folders a command left (`.NAME.<random>.tmp`)."""
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob(".*.tmp"))


def fingerprint(path):
    """What is at `path` itself (a link is not followed): kind, and content or target."""
    if not str(path):
        return None
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return ("unreachable", error.errno)
    if stat.S_ISLNK(status.st_mode):
        return ("link", os.readlink(path))
    if stat.S_ISREG(status.st_mode):
        return ("file", hashlib.sha256(Path(path).read_bytes()).hexdigest())
    if stat.S_ISDIR(status.st_mode):
        return ("folder", tuple(sorted(os.listdir(path))))
    return ("special", stat.S_IFMT(status.st_mode))


class Recorder:
    """Tallies cases per family and keeps each failing one with the command that reproduces it."""

    def __init__(self, keep, binary):
        self.keep, self.binary = Path(keep), binary
        shutil.rmtree(self.keep, ignore_errors=True)
        self.tally, self.exits, self.failures = {}, {}, []

    def record(self, family, index, verdict, reason, detail, arguments, code, stderr="", files=None):
        counts = self.tally.setdefault(family, {"cases": 0, "crash": 0, "hang": 0, "invalid": 0, "loss": 0})
        counts["cases"] += 1
        self.exits.setdefault(family, {}).setdefault(code, 0)
        self.exits[family][code] += 1
        if not verdict:
            return
        counts[verdict] += 1
        self.failures.append(f"{family} #{index} {verdict}: {reason} ({detail})")
        case = self.keep / f"{family}-{index:04d}"
        case.mkdir(parents=True, exist_ok=True)
        for name, content in (files or {}).items():
            (case / name).write_bytes(content if isinstance(content, bytes) else content.encode())
        (case / "stderr.txt").write_text(stderr)
        (case / "case.txt").write_text(f"{verdict}: {reason}; {detail}\n{self.binary} {' '.join(map(str, arguments))}\n")

    def summary(self, seconds):
        parts = []
        for family, counts in self.tally.items():
            codes = ", ".join(f"{code}: {n}" for code, n in sorted(self.exits[family].items()))
            parts.append(f"{family}: {counts['cases']} cases, {counts['crash']} crashes, {counts['hang']} hangs, "
                         f"{counts['invalid']} invalid, {counts['loss']} data losses (exit codes {codes})")
        total = {key: sum(c[key] for c in self.tally.values()) for key in ("cases", "crash", "hang", "invalid", "loss")}
        return (f"fuzz: {total['cases']} cases in {seconds:.0f} s: {total['crash']} crashes, {total['hang']} hangs, "
                f"{total['invalid']} invalid outputs, {total['loss']} data losses; " + "; ".join(parts)
                + (f"; failing cases kept in {self.keep}" if self.failures else ""))
