"""The tables of Scripts/bench/benchmark.sh: benchmark.md written from the report benchmark_run.py measured
(everything the tables show is in that report, kept as benchmark.json)."""
import os


def fmt(x, nd=1):
    return "–" if x is None else f"{x:.{nd}f}"


def render(report, variants):
    """benchmark.md: the tables of a report; variants are the --variant pipelines timed beside the default."""
    clips = report["clips"]
    L = []
    L.append("# posepipe vs MediaPipe (same BlazePose full weights)")
    L.append("")
    c = report["config"]
    L.append(f"{report['machine']['cpu']}, {report['machine']['cores']} cores; posepipe "
             f"{report['posepipe']['git']} (binary sha256 {report['posepipe']['sha256'][:12]}); "
             f"MediaPipe {report['mediapipe']['version']}, OpenCV {report['mediapipe']['opencv']}; "
             f"{report['started']}, load average {report['machine']['loadavg_at_start'][0]:.1f} at the start, "
             f"{report['machine']['loadavg_at_end'][0]:.1f} at the end. Medians of {c['runs']} alternating runs; "
             f"each run timed from spawn to exit (start-up, model loading and decoding included on both "
             f"sides); peak RSS is the maximum over runs. A person-frame is one person in one frame: posepipe's "
             f"person records, MediaPipe's frames with a pose; ratios per person-frame are medians of the ratios "
             f"of runs made next to each other.")
    L.append("")
    if clips:
        render_speed(L, report, variants)
    if report.get("folder"):
        render_folder(L, report["folder"])
    m = report.get("memory")
    if m:
        L.append(f"Memory, posepipe `--threads {m['threads']}`, one run each "
                 f"({m['long']['probe']['width']}×{m['long']['probe']['height']} "
                 f"{m['long']['probe']['codec']} at {fmt(m['long']['probe']['fps'], 0)} fps, "
                 f"{m['source']} looped):")
        L.append("")
        L.append("| clip | frames | wall s | frames/s | peak RSS MB |")
        L.append("|---|---|---|---|---|")
        for key in ("short", "long"):
            r = m[key]["run"]
            L.append(f"| {m[key]['label']} | {r['frames']} | {fmt(r['wall_s'])} | {fmt(r['fps'])} | "
                     f"{fmt(r['peak_rss_mb'], 0)} |")
        L.append(f"| ratio long / short | {m['long']['run']['frames'] / max(1, m['short']['run']['frames']):.0f}× "
                 f"| | | {fmt(m['rss_ratio'], 2)} |")
        L.append("")
    if report.get("quality"):
        L.append(render_quality(report["quality"]))
    L.append("Clips: " + "; ".join(f"{k['label']} = {k['source']}" for k in clips + report.get("quality_clips", [])) + ".")
    return "\n".join(L) + "\n"


def render_speed(L, report, variants):
    clips = report["clips"]
    threads = report["config"]["threads"]
    ts = " / ".join(f"t{t}" for t in threads)
    head = "| | " + " | ".join(
        f"{k['label']}<br>{k['probe']['width']}×{k['probe']['height']} {k['probe']['codec']}, "
        f"{fmt(k['probe']['fps'], 0)} fps, {k['frames']} frames" for k in clips) + " |"
    L.append(head)
    L.append("|---" * (len(clips) + 1) + "|")

    def row(label, cells):
        L.append(f"| {label} | " + " | ".join(cells) + " |")

    def one(k, key, nd=1):
        return fmt(k["summary"].get(key), nd) if "one_fps" in k["summary"] else "–"

    for t in threads:
        row(f"posepipe frames/s, `--threads {t}`",
            [fmt(k["summary"][f"posepipe_t{t}_fps"]) for k in clips])
    row("MediaPipe frames/s", [fmt(k["summary"]["mediapipe_fps"]) for k in clips])
    row(f"ratio posepipe / MediaPipe ({ts})",
        [" / ".join(fmt(k["summary"][f"ratio_t{t}"], 2) for t in threads) for k in clips])
    row("decode only, ffmpeg frames/s (1 thread / default)",
        [f"{fmt(k['decode'][0]['fps'], 0)} / {fmt(k['decode'][1]['fps'], 0)}" for k in clips])
    row(f"persons/s (posepipe `--threads {threads[-1]}`; persons per frame)",
        [f"{fmt(k['summary']['persons_per_s'])} ({fmt(k['summary']['persons_per_frame'], 2)})"
         for k in clips])
    row(f"person-frames/s: posepipe {ts} / MediaPipe (MediaPipe's poses per frame)",
        [" / ".join([fmt(k["summary"][f"posepipe_t{t}_persons_per_s"]) for t in threads]
                    + [fmt(k["summary"]["mediapipe_persons_per_s"])])
         + f" ({fmt(k['summary']['mediapipe_persons_per_frame'], 2)})" for k in clips])
    row(f"CPU ms per person-frame: posepipe {ts} / MediaPipe",
        [" / ".join([fmt(k["summary"][f"posepipe_t{t}_cpu_ms_per_person"]) for t in threads]
                    + [fmt(k["summary"]["mediapipe_cpu_ms_per_person"])]) for k in clips])
    row(f"ratio posepipe / MediaPipe: person-frames/s ({ts}); CPU per person-frame ({ts})",
        ["; ".join(" / ".join(fmt(k["summary"][f"ratio_t{t}_{key}"], 2) for t in threads)
                   for key in ("persons_per_s", "cpu_ms_per_person")) for k in clips])
    row(f"posepipe `--max-people 1` (`--threads {threads[-1]}`): frames/s; person-frames/s (per frame); CPU ms per person-frame",
        [f"{one(k, 'one_fps')}; {one(k, 'one_persons_per_s')} ({one(k, 'one_persons_per_frame', 2)}); "
         f"{one(k, 'one_cpu_ms_per_person')}" for k in clips])
    row("… ratio to MediaPipe: person-frames/s; CPU per person-frame",
        [f"{one(k, 'ratio_one_persons_per_s', 2)}; {one(k, 'ratio_one_cpu_ms_per_person', 2)}" for k in clips])
    for v in variants:
        def cell(k, key, nd=2):
            return fmt(k["summary"].get("variants", {}).get(v["name"], {}).get(key), nd)
        row(f"`--pipeline {v['name']}`{' (' + v['note'] + ')' if v['note'] else ''} (`--threads {threads[-1]}`): "
            "person-frames/s; CPU ms per person-frame; ratio to MediaPipe: person-frames/s, CPU per person-frame; "
            "person-frames/s ÷ default pipeline's",
            [f"{cell(k, 'persons_per_s', 1)}; {cell(k, 'cpu_ms_per_person', 1)}; {cell(k, 'ratio_persons_per_s')}, "
             f"{cell(k, 'ratio_cpu_ms_per_person')}; {cell(k, 'ratio_to_default_persons_per_s')}" for k in clips])
    row(f"peak RSS MB: posepipe {ts} / MediaPipe",
        [" / ".join([fmt(k["summary"][f"posepipe_t{t}_rss_mb"], 0) for t in threads]
                    + [fmt(k["summary"]["mediapipe_rss_mb"], 0)]) for k in clips])
    row(f"CPU s per run: posepipe {ts} / MediaPipe",
        [" / ".join([fmt(k["summary"][f"posepipe_t{t}_cpu_s"]) for t in threads]
                    + [fmt(k["summary"]["mediapipe_cpu_s"])]) for k in clips])
    row("agreement: keypoint distance / box size, median / p95",
        [f"{fmt(k['agreement'].get('normalized_error_median'), 3)} / "
         f"{fmt(k['agreement'].get('normalized_error_p95'), 3)}" for k in clips])
    row("… on keypoints MediaPipe rates visible (≥ 0.5)",
        [f"{fmt(k['agreement'].get('visible_only', {}).get('median'), 3)} / "
         f"{fmt(k['agreement'].get('visible_only', {}).get('p95'), 3)}" for k in clips])
    row("frames compared; MediaPipe pose & posepipe none; posepipe pose & MediaPipe none",
        [f"{k['agreement']['frames_compared']}; {k['agreement']['mediapipe_pose_posepipe_none']}; "
         f"{k['agreement']['posepipe_pose_mediapipe_none']}" for k in clips])
    row("posepipe output identical across " + "/".join(f"t{t}" for t in threads),
        ["yes" if k["summary"]["identical_across_threads"] else "no" for k in clips])
    L.append("")
    busy = [(k["label"], k["summary"].get("verbose_line")) for k in clips]
    if any(b for _, b in busy):
        L.append(f"posepipe `--verbose` last line (`--threads {threads[-1]}`, last run):")
        L.append("")
        for label, b in busy:
            if b:
                L.append(f"- {label}: `{b}`")
        L.append("")


def render_folder(L, f):
    s = f["summary"]
    L.append(f"Folder of {f['clips']} clips ({f['frames']} frames, `{os.path.basename(f['folder'])}`): posepipe "
             f"`FOLDER -o OUT --jobs N --threads {f['threads']} --overwrite` against MediaPipe as two processes side by "
             f"side, each working through half the clips; medians of {len(f['runs']['mediapipe_2_processes'])} "
             f"alternating runs, ratios to MediaPipe paired by run.")
    L.append("")
    L.append("| | wall s | clips/hour | CPU s | person-frames/s | CPU ms per person-frame | clips/hour ÷ MediaPipe's "
             "| CPU per person-frame ÷ MediaPipe's |")
    L.append("|---|---|---|---|---|---|---|---|")
    for key, label in (("posepipe_jobs1", "posepipe `--jobs 1`"), ("posepipe_jobs2", "posepipe `--jobs 2` (the default at `--threads 2`)"),
                       ("mediapipe_2_processes", "MediaPipe, 2 processes")):
        r = s[key]
        L.append(f"| {label} | {fmt(r['wall_s'])} | {fmt(r['clips_per_hour'], 0)} | {fmt(r['cpu_s'])} | "
                 f"{fmt(r['persons_per_s'])} | {fmt(r['cpu_ms_per_person'])} | {fmt(r['ratio_clips_per_hour'], 2)} | "
                 f"{fmt(r['ratio_cpu_ms_per_person'], 2)} |")
    L.append("")



def render_quality(rows):
    L = ["Track quality (untimed runs): jitter = mean |p(t+1) − 2p(t) + p(t−1)| and lag = mean distance of a "
         "smoothed track from the same tool's unsmoothed one, over frames and the COCO-17 joints, both in "
         "thousandths of the person's size (the larger side of the box around those joints; "
         "`Scripts/bench/benchmark_quality.py`). posepipe offline is the default for files; MediaPipe smoothed is "
         "`Pose()`'s default.", "",
         "| clip | jitter posepipe raw / online / offline | jitter MediaPipe raw / smoothed | lag posepipe online / offline "
         "| lag MediaPipe smoothed | left/right swapped back (person-frames) |",
         "|---|---|---|---|---|---|"]
    for q in rows:
        j, g = q["jitter"], q["lag"]
        L.append(f"| {q['label']} | {fmt(j['posepipe_raw'])} / {fmt(j['posepipe_online'])} / {fmt(j['posepipe_offline'])} "
                 f"| {fmt(j['mediapipe_raw'])} / {fmt(j['mediapipe_smoothed'])} | {fmt(g['posepipe_online'])} / "
                 f"{fmt(g['posepipe_offline'])} | {fmt(g['mediapipe_smoothed'])} | "
                 f"{'–' if q['swapped_back'] is None else q['swapped_back']} of {q['person_frames']} |")
    return "\n".join(L) + "\n"
