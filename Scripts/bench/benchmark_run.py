#!/usr/bin/env python3
"""Measurement side of Scripts/bench/benchmark.sh: posepipe against MediaPipe on the same BlazePose weights.

Runs posepipe (at each --threads value, and with --max-people 1 on --max-people-clip clips) and MediaPipe
(Scripts/bench/benchmark_mediapipe.py) in turn on each clip, several times, timing each whole process (wall clock
from spawn to exit, so start-up, model loading and decoding are included on both sides) and reading its
peak RSS and CPU time with os.wait4. Equal work: MediaPipe follows one person, posepipe everyone, so both
are also reported per person-frame (a person in a frame: posepipe's person records, MediaPipe's frames
with a pose), as ratios of runs next to each other in time. A folder run (--folder) times posepipe on a
folder of clips with --jobs 1 and 2 against two MediaPipe processes side by side, in clips per hour.
Also times FFmpeg decoding alone, runs posepipe once on a long and a short clip for memory, and
compares the two tools' keypoints. Then, untimed, it measures track quality on each clip (and on
--quality-clip clips): jitter and lag (Scripts/bench/benchmark_quality.py) of posepipe unsmoothed, online and
offline and of MediaPipe unsmoothed and smoothed, and how many person-frames posepipe's left/right repair
fired on. --parts picks what runs. Writes OUT/benchmark.json (everything raw) and OUT/benchmark.md (the
tables, also printed on stdout). Progress goes to stderr.

Needs numpy (the MediaPipe venv has it): run it with that venv's python.
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np

import benchmark_quality as quality
from benchmark_report import render


VARIANTS = []  # other pipelines timed beside the default one (--variant)


def log(msg):
    print(f"benchmark: {msg}", file=sys.stderr, flush=True)


def die(msg):
    log(f"error: {msg}")
    sys.exit(1)


# ---------------------------------------------------------------------------------------------
# Running one process, measured
# ---------------------------------------------------------------------------------------------
def measure(cmd, stdout_path=None, env=None):
    """Runs cmd; returns wall seconds, peak RSS (MB), CPU seconds, exit code and stderr text."""
    err_path = os.path.join(WORK, "stderr.txt")
    with open(err_path, "wb") as err, open(stdout_path or os.devnull, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    with open(err_path, "r", errors="replace") as f:
        stderr = f.read()
    return {
        "wall_s": round(wall, 4),
        "cpu_s": round(ru.ru_utime + ru.ru_stime, 3),
        "peak_rss_mb": round(ru.ru_maxrss / 1024.0, 1),  # ru_maxrss is in KiB on Linux
        "exit": proc.returncode,
        "stderr_head": stderr[:600],
        "stderr_tail": stderr[-2000:],
    }


def posepipe_cmd(clip, out, threads, extra=()):
    cmd = [ARGS.posepipe, clip, "-o", out, "--threads", str(threads), "--quiet", *extra]
    if VERBOSE_OK:
        cmd.append("--verbose")  # only adds the final stage-timing line (and FFmpeg warnings)
    return cmd


def run_posepipe(clip, out, threads, what, extra=(), env=None):
    for attempt in range(3):
        r = measure(posepipe_cmd(clip, out, threads, extra), env=env)
        if r["exit"] == 0:
            break
        head = " | ".join(l.strip() for l in r["stderr_head"].splitlines() if l.strip())[:300]
        log(f"  posepipe {what} failed (exit {r['exit']}): {head}")
        if attempt < 2:
            log("  retrying in 5 s")
            time.sleep(5)
    else:
        die(f"posepipe keeps failing on {clip}")
    frames, persons = count_posepipe(out)
    r.update(frames=frames, persons=persons, fps=round(frames / r["wall_s"], 2), threads=threads, **per_person(r, persons))
    lines = [l for l in r["stderr_tail"].splitlines() if "busy" in l]
    r["verbose_line"] = lines[-1].strip() if lines else None
    r["stage_busy_s"] = parse_busy(r["verbose_line"])
    return r


def parse_busy(line):
    """Best effort: 'stage busy time: decode 5.94 s, detection 8.46 s' -> {decode: 5.94, ...}."""
    if not line or "busy" not in line:
        return None
    tail = line.split("busy", 1)[1]
    tail = tail.split(":", 1)[1] if ":" in tail else tail
    found = {m.group(1).strip(): float(m.group(2))
             for m in re.finditer(r"([A-Za-z][\w+ /-]*?)\s+([0-9]+(?:\.[0-9]+)?)\s*s\b", tail)}
    return found or None


def per_person(r, person_frames):
    """Person-frames per second and CPU milliseconds per person-frame of a measured run."""
    return {"persons_per_s": round(person_frames / r["wall_s"], 2),
            "cpu_ms_per_person": round(1000 * r["cpu_s"] / person_frames, 2) if person_frames else None}


def count_posepipe(path):
    frames = persons = 0
    with open(path) as f:
        next(f, None)  # header
        for line in f:
            if not line.strip():
                continue
            frames += 1
            persons += len(json.loads(line).get("persons") or [])
    return frames, persons


def run_mediapipe(clip, out, what):
    r = measure([ARGS.mp_python, ARGS.mp_script, clip, "-o", out])
    if r["exit"] != 0:
        die(f"MediaPipe run {what} failed (exit {r['exit']}): {r['stderr_tail'].strip()[-600:]}")
    summary = None
    for line in reversed(r["stderr_tail"].splitlines()):
        if line.startswith("{"):
            summary = json.loads(line)
            break
    if summary is None:
        die(f"MediaPipe run {what} printed no summary")
    r.update(frames=summary["frames"], poses=summary["poses"], internal=summary,
             fps=round(summary["frames"] / r["wall_s"], 2), **per_person(r, summary["poses"]))
    return r


def decode_ceiling(clip, threads, runs, frames):
    cmd = ["ffmpeg", "-nostdin", "-v", "error"] + (["-threads", str(threads)] if threads else []) \
        + ["-i", clip, "-map", "0:v:0", "-an", "-f", "null", "-"]
    walls = []
    for _ in range(runs):
        r = measure(cmd)
        if r["exit"] != 0:
            die(f"ffmpeg decode of {clip} failed: {r['stderr_tail'][-300:]}")
        walls.append(r["wall_s"])
    med = statistics.median(walls)
    return {"threads": threads or "default", "wall_s": walls, "median_wall_s": med,
            "fps": round(frames / med, 1), "command": " ".join(cmd)}


def probe(clip):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries",
         "stream=codec_name,width,height,avg_frame_rate,nb_read_packets:format=duration",
         "-of", "json", clip], capture_output=True, text=True)
    if out.returncode != 0:
        die(f"ffprobe cannot read {clip}: {out.stderr.strip()}")
    j = json.loads(out.stdout)
    s = j["streams"][0]
    num, den = (s.get("avg_frame_rate") or "0/1").split("/")
    return {"codec": s.get("codec_name"), "width": s.get("width"), "height": s.get("height"),
            "fps": round(float(num) / float(den), 3) if float(den) else None,
            "packets": int(s.get("nb_read_packets", 0)),
            "duration_s": float(j.get("format", {}).get("duration", 0) or 0)}


# ---------------------------------------------------------------------------------------------
# A folder of clips: posepipe --jobs 1 and 2 against two MediaPipe processes side by side
# ---------------------------------------------------------------------------------------------
def measure_together(cmds):
    """Runs the commands at once; wall seconds until the last exits, CPU seconds and stderr of all."""
    errs = [os.path.join(WORK, f"stderr.{i}.txt") for i in range(len(cmds))]
    t0 = time.perf_counter()
    procs = []
    for cmd, err in zip(cmds, errs):
        with open(err, "wb") as e:
            procs.append(subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=e))
    cpu, codes = 0.0, []
    for proc in procs:
        _, status, ru = os.wait4(proc.pid, 0)
        cpu += ru.ru_utime + ru.ru_stime
        codes.append(os.waitstatus_to_exitcode(status))
    wall = time.perf_counter() - t0
    stderr = [open(err, errors="replace").read() for err in errs]
    return {"wall_s": round(wall, 4), "cpu_s": round(cpu, 3), "exit": max(codes, key=abs), "stderr": stderr}


def folder_run(videos, runs, threads):
    """Clips per hour on the folder: posepipe FOLDER --jobs 1 / 2 and MediaPipe as two processes,
    each working through half the clips, alternating, `runs` times."""
    n = len(videos)
    out = {1: os.path.join(WORK, "folder.jobs1"), 2: os.path.join(WORK, "folder.jobs2"), "mp": os.path.join(WORK, "folder.mediapipe")}
    for path in out.values():
        os.makedirs(path, exist_ok=True)
    folder = os.path.dirname(videos[0])
    result = {"folder": folder, "clips": n, "frames": sum(probe(v)["packets"] for v in videos), "threads": threads,
              "runs": {"posepipe_jobs1": [], "posepipe_jobs2": [], "mediapipe_2_processes": []}}
    for i in range(runs):
        for jobs in (1, 2):
            cmd = [ARGS.posepipe, folder, "-o", out[jobs], "--jobs", str(jobs), "--threads", str(threads),
                   "--overwrite", "--quiet"]
            r = measure(cmd)
            if r["exit"] != 0:
                die(f"posepipe folder run --jobs {jobs} failed (exit {r['exit']}): {r['stderr_tail'][-300:]}")
            persons = sum(count_posepipe(os.path.join(out[jobs], os.path.basename(v) + ".jsonl"))[1] for v in videos)
            r.update(persons=persons, clips_per_hour=round(3600 * n / r["wall_s"], 1), **per_person(r, persons))
            result["runs"][f"posepipe_jobs{jobs}"].append(r)
            log(f"  folder run {i + 1}/{runs} posepipe --jobs {jobs}: {n} clips in {r['wall_s']:.1f} s = "
                f"{r['clips_per_hour']:.0f} clips/h, CPU {r['cpu_s']:.1f} s")
        halves = [videos[0::2], videos[1::2]]
        r = measure_together([[ARGS.mp_python, ARGS.mp_script, *half, "-o", out["mp"]] for half in halves])
        if r["exit"] != 0:
            die(f"MediaPipe folder run failed (exit {r['exit']}): {r['stderr'][0][-300:]} {r['stderr'][1][-300:]}")
        poses = sum(json.loads(next(l for l in reversed(e.splitlines()) if l.startswith("{")))["poses"] for e in r.pop("stderr"))
        r.update(persons=poses, clips_per_hour=round(3600 * n / r["wall_s"], 1), **per_person(r, poses))
        result["runs"]["mediapipe_2_processes"].append(r)
        log(f"  folder run {i + 1}/{runs} MediaPipe, 2 processes: {n} clips in {r['wall_s']:.1f} s = "
            f"{r['clips_per_hour']:.0f} clips/h, CPU {r['cpu_s']:.1f} s")
    mp_runs = result["runs"]["mediapipe_2_processes"]
    result["summary"] = {key: {"wall_s": med(rs, "wall_s"), "clips_per_hour": med(rs, "clips_per_hour"),
                               "cpu_s": med(rs, "cpu_s"), "persons": rs[-1]["persons"],
                               "persons_per_s": med(rs, "persons_per_s"), "cpu_ms_per_person": med(rs, "cpu_ms_per_person"),
                               "ratio_clips_per_hour": paired_ratio(rs, mp_runs, "clips_per_hour"),
                               "ratio_cpu_ms_per_person": paired_ratio(rs, mp_runs, "cpu_ms_per_person")}
                         for key, rs in result["runs"].items()}
    return result


# ---------------------------------------------------------------------------------------------
# Agreement
# ---------------------------------------------------------------------------------------------
def read_track_lines(path, convert):
    """A header line, then one JSON line per frame: returns the header and {frame: convert(line)}."""
    with open(path) as f:
        header = json.loads(next(f))
        frames = {}
        for line in f:
            if line.strip():
                j = json.loads(line)
                frames[j["frame"]] = convert(j)
    return header, frames


def load_posepipe(path):
    def people(j):
        return [np.array([k if k is not None else [np.nan] * 3 for k in p["keypoints"]], dtype=float)
                for p in j.get("persons") or []]
    return read_track_lines(path, people)


def load_mediapipe(path):
    return read_track_lines(path, lambda j: None if j["keypoints"] is None else np.array(j["keypoints"], float))


def agreement(pp_path, mp_path):
    pp_header, pp = load_posepipe(pp_path)
    mp_header, mp = load_mediapipe(mp_path)
    names = pp_header.get("keypoints") or mp_header["keypoints"]
    notes = []
    # Map posepipe's keypoint order onto MediaPipe's by name (they should be identical).
    order = [names.index(n) for n in mp_header["keypoints"]] if set(mp_header["keypoints"]) <= set(names) else None
    if order is None:
        notes.append("keypoint names differ; compared by index")
        order = list(range(33))
    if (pp_header.get("width"), pp_header.get("height")) != (mp_header["width"], mp_header["height"]):
        notes.append(f"frame size differs: posepipe {pp_header.get('width')}x{pp_header.get('height')}, "
                     f"MediaPipe {mp_header['width']}x{mp_header['height']}")
    if len(pp) != len(mp):
        notes.append(f"frame count differs: posepipe {len(pp)}, MediaPipe {len(mp)}")

    both = mp_only = pp_only = neither = 0
    errs, vis = [], []
    for i in sorted(set(pp) | set(mp)):
        m = mp.get(i)
        people = pp.get(i) or []
        if m is None and not people:
            neither += 1
            continue
        if m is None:
            pp_only += 1
            continue
        if not people:
            mp_only += 1
            continue
        both += 1
        mxy = m[:, :2]
        size = float(np.sqrt(np.prod(mxy.max(axis=0) - mxy.min(axis=0))))
        best = None
        for p in people:
            d = np.linalg.norm(p[order, :2] - mxy, axis=1)
            mean = np.nanmean(d) if np.isfinite(d).any() else np.inf
            if best is None or mean < best[0]:
                best = (mean, d)
        errs.append(best[1] / size if size > 0 else np.full(len(order), np.nan))
        vis.append(m[:, 2])
    result = {"frames_compared": both, "mediapipe_pose_posepipe_none": mp_only,
              "posepipe_pose_mediapipe_none": pp_only, "neither": neither, "notes": notes,
              "posepipe_output": pp_path, "mediapipe_output": mp_path}
    if not errs:
        return result
    e = np.vstack(errs)
    v = np.vstack(vis)
    flat = e[np.isfinite(e)]
    shown = e[np.isfinite(e) & (v >= 0.5)]
    result.update({
        "normalized_error_median": round(float(np.median(flat)), 4),
        "normalized_error_p95": round(float(np.percentile(flat, 95)), 4),
        "normalized_error_mean": round(float(np.mean(flat)), 4),
        "visible_only": {  # keypoints MediaPipe itself rates visible (visibility >= 0.5)
            "count": int(shown.size),
            "median": round(float(np.median(shown)), 4) if shown.size else None,
            "p95": round(float(np.percentile(shown, 95)), 4) if shown.size else None},
        "per_keypoint_median": {n: (round(float(np.nanmedian(e[:, k])), 4)
                                    if np.isfinite(e[:, k]).any() else None)
                                for k, n in enumerate(mp_header["keypoints"])},
        "box_size": "sqrt(w*h) of the bounding box of MediaPipe's 33 keypoints in that frame",
    })
    return result


def identical_tracks(a, b):
    with open(a) as fa, open(b) as fb:
        next(fa, None)
        next(fb, None)
        return fa.read() == fb.read()


# ---------------------------------------------------------------------------------------------
# Track quality: jitter, lag, left/right repairs
# ---------------------------------------------------------------------------------------------
def swapped_back(verbose_line):
    """'… 230 frames, 345 person-frames (12 with left and right swapped back) in …' -> 12."""
    m = re.search(r"\((\d+) with left and right swapped back\)", verbose_line or "")
    return int(m.group(1)) if m else None


def track_quality(label, path, tag, mp_smoothed=None):
    """posepipe --smoothing none / online / offline and MediaPipe raw / smoothed on one clip, untimed."""
    runs = {}
    for mode in ("none", "online", "offline"):
        out = os.path.join(WORK, f"{tag}.posepipe.{mode}.jsonl")
        r = measure([ARGS.posepipe, path, "-o", out, "--smoothing", mode, "--quiet", "--verbose"])
        if r["exit"] != 0:
            die(f"posepipe --smoothing {mode} on {path} failed (exit {r['exit']}): {r['stderr_tail'][-300:]}")
        runs[mode] = out
        lines = [l for l in r["stderr_tail"].splitlines() if "busy" in l]
        if mode == "offline":
            repaired = swapped_back(lines[-1] if lines else None)
    mp_raw = os.path.join(WORK, f"{tag}.mediapipe.raw.jsonl")
    measure([ARGS.mp_python, ARGS.mp_script, path, "-o", mp_raw, "--no-smoothing"])
    if mp_smoothed is None:
        mp_smoothed = os.path.join(WORK, f"{tag}.mediapipe.jsonl")
        measure([ARGS.mp_python, ARGS.mp_script, path, "-o", mp_smoothed])
    pp = {mode: quality.load(out) for mode, out in runs.items()}
    mp = {"raw": quality.load(mp_raw), "smoothed": quality.load(mp_smoothed)}
    result = {
        "label": label, "path": path,
        "jitter": {"posepipe_raw": quality.jitter(pp["none"])[0], "posepipe_online": quality.jitter(pp["online"])[0],
                   "posepipe_offline": quality.jitter(pp["offline"])[0],
                   "mediapipe_raw": quality.jitter(mp["raw"])[0], "mediapipe_smoothed": quality.jitter(mp["smoothed"])[0]},
        "lag": {"posepipe_online": quality.lag(pp["online"], pp["none"]), "posepipe_offline": quality.lag(pp["offline"], pp["none"]),
                "mediapipe_smoothed": quality.lag(mp["smoothed"], mp["raw"])},
        "posepipe_vs_mediapipe_raw": quality.agreement(mp["raw"], pp["none"]),
        "person_frames": sum(len(p) for p in pp["offline"].values()),
        "swapped_back": repaired,
        "outputs": runs | {"mediapipe_raw": mp_raw, "mediapipe_smoothed": mp_smoothed},
    }
    log(f"  quality {label}: jitter posepipe raw/online/offline {result['jitter']['posepipe_raw']}/"
        f"{result['jitter']['posepipe_online']}/{result['jitter']['posepipe_offline']}, MediaPipe raw/smoothed "
        f"{result['jitter']['mediapipe_raw']}/{result['jitter']['mediapipe_smoothed']}; lag online/offline "
        f"{result['lag']['posepipe_online']}/{result['lag']['posepipe_offline']}, MediaPipe {result['lag']['mediapipe_smoothed']}; "
        f"left/right swapped back on {repaired} of {result['person_frames']} person-frames")
    return result


# ---------------------------------------------------------------------------------------------
# Medians and ratios of runs
# ---------------------------------------------------------------------------------------------
def med(runs, key):
    return statistics.median(r[key] for r in runs)


def paired_ratio(ours, theirs, key):
    """Median over runs of ours / theirs for the runs made next to each other: the load of a shared
    machine drifts, and neighbouring runs see about the same load."""
    ratios = [a[key] / b[key] for a, b in zip(ours, theirs) if a[key] and b[key]]
    return round(statistics.median(ratios), 3) if ratios else None


# ---------------------------------------------------------------------------------------------
# The run: options, the report's header, then each part
# ---------------------------------------------------------------------------------------------
def parse_args():
    ap = argparse.ArgumentParser(description="posepipe vs MediaPipe benchmark (see Scripts/bench/benchmark.sh)")
    ap.add_argument("--posepipe", required=True)
    ap.add_argument("--mp-python", required=True)
    ap.add_argument("--mp-script", required=True)
    ap.add_argument("--clip", action="append", default=[], metavar="LABEL=PATH=SOURCE",
                    help="a clip to time and compare; SOURCE is a free-text description")
    ap.add_argument("--quality-clip", action="append", default=[], metavar="LABEL=PATH=SOURCE",
                    help="a clip measured for track quality only (no timing)")
    ap.add_argument("--long", help="long clip for memory")
    ap.add_argument("--short", help="short clip for memory, same encoding as --long")
    ap.add_argument("--long-source", default="")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--decode-runs", type=int, default=3)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--out", required=True, help="folder for benchmark.md and benchmark.json")
    ap.add_argument("--work", required=True, help="folder for the runs' outputs")
    ap.add_argument("--git", default="unknown")
    ap.add_argument("--max-people-clip", action="append", default=[], metavar="LABEL",
                    help="also time posepipe --max-people 1 on this clip (MediaPipe's work: one person)")
    ap.add_argument("--variant", action="append", default=[], metavar="NAME[=PIPELINES_DIR[=NOTE]]",
                    help="also time posepipe --pipeline NAME (found under PIPELINES_DIR when given) on every clip")
    ap.add_argument("--folder", help="a folder of clips for the folder run")
    ap.add_argument("--folder-runs", type=int, default=3)
    ap.add_argument("--parts", default="speed,quality,memory,folder",
                    help="what to measure: speed (the clips, timed), quality, memory, folder")
    return ap.parse_args()


def clip_spec(spec):
    """LABEL=PATH=SOURCE -> (label, path, source), the missing parts empty."""
    return tuple((spec.split("=", 2) + ["", ""])[:3])


def variants(specs):
    """--variant NAME[=PIPELINES_DIR[=NOTE]] -> the name, the environment that finds it, the note."""
    found = []
    for spec in specs:
        name, folder, note = clip_spec(spec)
        env = dict(os.environ, POSEPIPE_PIPELINES=os.path.abspath(folder)) if folder else None
        found.append({"name": name, "env": env, "note": note})
    return found


def report_header(threads):
    """What ran where: the machine, posepipe's binary and command, MediaPipe's versions and settings."""
    mp_versions = subprocess.run(
        [ARGS.mp_python, "-c", "from importlib.metadata import version as v; import json; "
         "print(json.dumps({'version': v('mediapipe'), 'opencv': v('opencv-contrib-python'), 'numpy': v('numpy')}))"],
        capture_output=True, text=True, check=True)
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    with open(ARGS.posepipe, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    return {
        "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
                    "loadavg_at_start": os.getloadavg()},
        "posepipe": {"binary": ARGS.posepipe, "sha256": sha, "git": ARGS.git,
                     "command": " ".join(posepipe_cmd("CLIP", "OUT.jsonl", "N"))},
        "mediapipe": json.loads(mp_versions.stdout) | {
            "command": f"{ARGS.mp_python} {ARGS.mp_script} CLIP -o OUT.jsonl",
            "settings": "mp.solutions.pose.Pose(model_complexity=1, static_image_mode=False), RGB frames from cv2.VideoCapture"},
        "config": {"runs": ARGS.runs, "decode_runs": ARGS.decode_runs, "threads": threads,
                   "timing": "wall clock from spawn to exit of each process (time.perf_counter around Popen/os.wait4); peak RSS = ru_maxrss of that process from os.wait4",
                   "fps": "posepipe: (JSONL lines - 1) / wall; MediaPipe: frames processed / wall; medians over runs"},
        "clips": [],
    }


def time_round(clip, i, threads, tag, pp_out, mp_out, one_person):
    """Run i of a clip: posepipe at each thread count, --max-people 1, each variant, then MediaPipe."""
    path = clip["path"]
    for t in threads:
        r = run_posepipe(path, pp_out[t], t, f"run {i + 1} --threads {t}")
        r["run"] = i + 1
        clip["posepipe_runs"].append(r)
        log(f"  run {i + 1}/{ARGS.runs} posepipe --threads {t}: {r['frames']} frames in "
            f"{r['wall_s']:.2f} s = {r['fps']:.1f} fps, {r['peak_rss_mb']:.0f} MB")
    if one_person:
        t = threads[-1]
        r = run_posepipe(path, os.path.join(WORK, f"{tag}.posepipe.one.jsonl"), t,
                         f"run {i + 1} --max-people 1", extra=("--max-people", "1"))
        r["run"] = i + 1
        clip["posepipe_one_runs"].append(r)
        log(f"  run {i + 1}/{ARGS.runs} posepipe --threads {t} --max-people 1: {r['frames']} frames in "
            f"{r['wall_s']:.2f} s = {r['fps']:.1f} fps, {r['persons']} person-frames")
    for v in VARIANTS:
        r = run_posepipe(path, os.path.join(WORK, f"{tag}.posepipe.{v['name']}.jsonl"), threads[-1],
                         f"run {i + 1} --pipeline {v['name']}", extra=("--pipeline", v["name"]), env=v["env"])
        r["run"] = i + 1
        clip.setdefault("variant_runs", {}).setdefault(v["name"], []).append(r)
        log(f"  run {i + 1}/{ARGS.runs} posepipe --pipeline {v['name']}: {r['frames']} frames in "
            f"{r['wall_s']:.2f} s = {r['fps']:.1f} fps, {r['persons']} person-frames")
    r = run_mediapipe(path, mp_out, f"run {i + 1}")
    r["run"] = i + 1
    clip["mediapipe_runs"].append(r)
    log(f"  run {i + 1}/{ARGS.runs} MediaPipe: {r['frames']} frames in {r['wall_s']:.2f} s = "
        f"{r['fps']:.1f} fps, {r['peak_rss_mb']:.0f} MB")


def summarize_clip(clip, threads, pp_out):
    """Medians of a clip's runs, and each posepipe variant's ratios to the MediaPipe runs beside it."""
    s = {}
    mp_runs = clip["mediapipe_runs"]
    s["mediapipe_fps"] = med(mp_runs, "fps")
    s["mediapipe_wall_s"] = med(mp_runs, "wall_s")
    s["mediapipe_cpu_s"] = med(mp_runs, "cpu_s")
    s["mediapipe_rss_mb"] = max(r["peak_rss_mb"] for r in mp_runs)
    s["mediapipe_persons_per_s"] = med(mp_runs, "persons_per_s")
    s["mediapipe_cpu_ms_per_person"] = med(mp_runs, "cpu_ms_per_person")
    s["mediapipe_persons_per_frame"] = round(mp_runs[-1]["poses"] / max(1, mp_runs[-1]["frames"]), 3)
    for t in threads:
        runs = [r for r in clip["posepipe_runs"] if r["threads"] == t]
        s[f"posepipe_t{t}_fps"] = med(runs, "fps")
        s[f"posepipe_t{t}_wall_s"] = med(runs, "wall_s")
        s[f"posepipe_t{t}_cpu_s"] = med(runs, "cpu_s")
        s[f"posepipe_t{t}_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
        s[f"ratio_t{t}"] = round(s[f"posepipe_t{t}_fps"] / s["mediapipe_fps"], 3)
        s[f"posepipe_t{t}_persons_per_s"] = med(runs, "persons_per_s")
        s[f"posepipe_t{t}_cpu_ms_per_person"] = med(runs, "cpu_ms_per_person")
        s[f"ratio_t{t}_persons_per_s"] = paired_ratio(runs, mp_runs, "persons_per_s")
        s[f"ratio_t{t}_cpu_ms_per_person"] = paired_ratio(runs, mp_runs, "cpu_ms_per_person")
    one = clip["posepipe_one_runs"]
    if one:
        s["one_fps"] = med(one, "fps")
        s["one_persons_per_s"] = med(one, "persons_per_s")
        s["one_cpu_ms_per_person"] = med(one, "cpu_ms_per_person")
        s["one_persons_per_frame"] = round(one[-1]["persons"] / max(1, one[-1]["frames"]), 3)
        s["ratio_one_persons_per_s"] = paired_ratio(one, mp_runs, "persons_per_s")
        s["ratio_one_cpu_ms_per_person"] = paired_ratio(one, mp_runs, "cpu_ms_per_person")
    last = [r for r in clip["posepipe_runs"] if r["threads"] == threads[-1]]
    s["variants"] = {name: {"fps": med(vr, "fps"), "persons_per_s": med(vr, "persons_per_s"),
                            "cpu_ms_per_person": med(vr, "cpu_ms_per_person"),
                            "ratio_persons_per_s": paired_ratio(vr, mp_runs, "persons_per_s"),
                            "ratio_cpu_ms_per_person": paired_ratio(vr, mp_runs, "cpu_ms_per_person"),
                            "ratio_to_default_persons_per_s": paired_ratio(vr, last, "persons_per_s")}
                     for name, vr in clip.get("variant_runs", {}).items()}
    s["persons_per_s"] = med(last, "persons_per_s")
    s["persons_per_frame"] = round(last[-1]["persons"] / max(1, last[-1]["frames"]), 3)
    s["verbose_line"] = last[-1]["verbose_line"]
    s["identical_across_threads"] = all(identical_tracks(pp_out[threads[0]], pp_out[t]) for t in threads[1:])
    return s


def speed_clip(spec, threads):
    """One --clip timed: FFmpeg's decoding ceiling, ARGS.runs rounds of runs, their summary, and how
    far posepipe's keypoints are from MediaPipe's."""
    label, path, source = clip_spec(spec)
    if not os.path.isfile(path):
        die(f"clip {path} is missing")
    tag = re.sub(r"\W+", "_", label)
    p = probe(path)
    log(f"{label}: {path} ({p['width']}x{p['height']} {p['codec']}, {p['packets']} packets)")
    clip = {"label": label, "path": path, "source": source, "probe": p, "posepipe_runs": [],
            "mediapipe_runs": []}
    clip["decode"] = [decode_ceiling(path, 1, ARGS.decode_runs, p["packets"]),
                      decode_ceiling(path, None, ARGS.decode_runs, p["packets"])]
    log(f"  decode only: {clip['decode'][0]['fps']} fps (1 thread), {clip['decode'][1]['fps']} fps (default)")
    pp_out = {t: os.path.join(WORK, f"{tag}.posepipe.t{t}.jsonl") for t in threads}
    mp_out = os.path.join(WORK, f"{tag}.mediapipe.jsonl")
    clip["posepipe_one_runs"] = []
    for i in range(ARGS.runs):
        time_round(clip, i, threads, tag, pp_out, mp_out, label in ARGS.max_people_clip)
    clip["frames"] = clip["posepipe_runs"][-1]["frames"]
    clip["summary"] = summarize_clip(clip, threads, pp_out)
    clip["agreement"] = agreement(pp_out[threads[-1]], mp_out)
    a = clip["agreement"]
    log(f"  agreement: median {a.get('normalized_error_median')}, p95 {a.get('normalized_error_p95')} "
        f"of box size over {a['frames_compared']} frames")
    return clip


def quality_part(report, parts):
    """Track quality of every --clip (reusing the speed part's smoothed MediaPipe run) and --quality-clip."""
    report["quality"] = []
    report["quality_clips"] = []
    for spec in ARGS.clip if "quality" in parts else []:
        label, path, source = clip_spec(spec)
        tag = re.sub(r"\W+", "_", label)
        timed = os.path.join(WORK, f"{tag}.mediapipe.jsonl") if "speed" in parts else None
        if timed is None:  # the speed part lists its clips itself
            report["quality_clips"].append({"label": label, "path": path, "source": source})
        report["quality"].append(track_quality(label, path, tag, mp_smoothed=timed))
    for spec in ARGS.quality_clip if "quality" in parts else []:
        label, path, source = clip_spec(spec)
        if not os.path.isfile(path):
            die(f"clip {path} is missing")
        report["quality_clips"].append({"label": label, "path": path, "source": source})
        report["quality"].append(track_quality(label, path, re.sub(r"\W+", "_", label)))


def memory_part(t):
    """Peak RSS of posepipe --threads t on --short and --long, and their ratio."""
    memory = {"threads": t, "source": ARGS.long_source}
    for key, path in (("short", ARGS.short), ("long", ARGS.long)):
        p = probe(path)
        label = f"{p['duration_s'] / 60:.0f} min" if p["duration_s"] >= 60 else f"{p['duration_s']:.0f} s"
        log(f"memory: posepipe --threads {t} on {path} ({label}, {p['packets']} frames)")
        r = run_posepipe(path, os.path.join(WORK, f"memory_{key}.jsonl"), t, f"memory {key}")
        log(f"  {r['frames']} frames in {r['wall_s']:.1f} s = {r['fps']:.1f} fps, peak RSS {r['peak_rss_mb']:.0f} MB")
        memory[key] = {"label": label, "path": path, "probe": p, "run": r}
    memory["rss_ratio"] = round(memory["long"]["run"]["peak_rss_mb"] / memory["short"]["run"]["peak_rss_mb"], 3)
    return memory


def main():
    global ARGS, WORK, VERBOSE_OK, VARIANTS
    ARGS = parse_args()
    VARIANTS = variants(ARGS.variant)
    parts = set(ARGS.parts.split(","))
    if parts - {"speed", "quality", "memory", "folder"}:
        die(f"unknown --parts {ARGS.parts}")
    WORK = ARGS.work
    os.makedirs(WORK, exist_ok=True)
    os.makedirs(ARGS.out, exist_ok=True)
    threads = [int(t) for t in ARGS.threads.split(",")]
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            die(f"{tool} not found on PATH")
    help_text = subprocess.run([ARGS.posepipe, "run", "--help"], capture_output=True, text=True)
    VERBOSE_OK = "--verbose" in (help_text.stdout + help_text.stderr)

    t_begin = time.perf_counter()
    report = report_header(threads)
    report["clips"] = [speed_clip(spec, threads) for spec in (ARGS.clip if "speed" in parts else [])]
    quality_part(report, parts)
    if ARGS.folder and "folder" in parts:
        videos = sorted(os.path.join(ARGS.folder, f) for f in os.listdir(ARGS.folder) if f.endswith(".mp4"))
        log(f"folder: {len(videos)} clips in {ARGS.folder}")
        report["folder"] = folder_run(videos, ARGS.folder_runs, threads[-1])
    if ARGS.long and ARGS.short and "memory" in parts:
        report["memory"] = memory_part(threads[-1])

    report["machine"]["loadavg_at_end"] = os.getloadavg()
    report["measurement_s"] = round(time.perf_counter() - t_begin, 1)
    md = render(report, VARIANTS)
    with open(os.path.join(ARGS.out, "benchmark.json"), "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    with open(os.path.join(ARGS.out, "benchmark.md"), "w") as f:
        f.write(md)
    sys.stdout.write(md)


if __name__ == "__main__":
    main()
