#!/usr/bin/env python3
"""One live run: FFmpeg sends a clip (encoded beforehand as a camera would, libx264 ultrafast zerolatency)
as MPEG-TS over UDP on loopback at a chosen rate, posepipe reads
it (`posepipe udp://… -o -`), and each output line's arrival is measured against when its frame was
sent. Prints one JSON object: latency p50/p95 of processed lines, first line, frames sent, processed,
skipped and lost, peak memory.

When a frame was sent: FFmpeg paces its reading by the input's timestamps (-re), so frame
i leaves T0 + (pts_i - pts_0) after the first datagram (T0), which FFmpeg also sends here.

  live_latency.py --posepipe BIN --clip CLIP --rate R [--loops N] [-- POSEPIPE OPTIONS…]
R: the camera's frame rate as a multiple of the clip's (the clip's frames, R times as many a second).
"""
import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def udp_bound(port):
    """Whether some process has bound UDP `port` (posepipe, once it opens its input)."""
    with open("/proc/net/udp") as table:
        return any(line.split()[1].endswith(f":{port:04X}") for line in table.readlines()[1:])


def peak_rss(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def clip_fps(clip):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=r_frame_rate", "-of", "csv=p=0",
                          clip], capture_output=True, text=True, check=True)
    num, _, den = out.stdout.strip().partition("/")
    return float(num) / float(den or 1)


def frame_count(clip):
    out = subprocess.run(["ffprobe", "-v", "error", "-count_packets", "-select_streams", "v:0", "-show_entries",
                          "stream=nb_read_packets", "-of", "csv=p=0", clip], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().split(",")[0])


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posepipe", required=True)
    parser.add_argument("--clip", required=True)
    parser.add_argument("--rate", type=float, required=True, help="frame rate as a multiple of the clip's own")
    parser.add_argument("--loops", type=int, default=2, help="-stream_loop: the clip is sent 1 + LOOPS times")
    parser.add_argument("--dump", help="write each line's frame, skipped and latency to this file")
    parser.add_argument("rest", nargs="*", help="posepipe options")
    args = parser.parse_args()

    # Encoded beforehand as a camera would (libx264 ultrafast, zerolatency), its timestamps made RATE times
    # faster (a camera of RATE times the clip's frame rate), so that sent in real time its PTS keep pace with
    # the clock as a live source's do. The sender then only paces the packets out: its own encoding
    # neither lags behind nor takes posepipe's cores.
    stream = f"/tmp/live-latency-{os.getpid()}.ts"
    fps = clip_fps(args.clip) * args.rate
    subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", args.clip, "-an", "-vf",
                    f"setpts=PTS/{args.rate}", "-r", f"{fps:.4f}", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                    "-f", "mpegts", stream], check=True)
    relay_port, target_port = free_port(), free_port()
    command = [args.posepipe, f"udp://127.0.0.1:{target_port}", "-o", "-", "-q", "--timeout", "3", "--verbose"] + args.rest
    stderr_path = f"/tmp/live-latency-{os.getpid()}.err"
    with open(stderr_path, "w") as err:
        posepipe = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, text=True)
    deadline = time.monotonic() + 60
    while not udp_bound(target_port):
        if posepipe.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"posepipe did not open udp://127.0.0.1:{target_port}: {open(stderr_path).read()}")
        time.sleep(0.02)

    lines = []  # (arrival, record)

    def read_lines():
        for line in posepipe.stdout:
            lines.append((time.monotonic(), json.loads(line)))

    reader = threading.Thread(target=read_lines, daemon=True)
    reader.start()

    # When the first datagram leaves: the same packets also go to a socket here, read once (FFmpeg's tee
    # muxer), so nothing stands between FFmpeg and posepipe.
    first_datagram = []
    watch = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    watch.bind(("127.0.0.1", relay_port))

    def first():
        watch.recv(65536)
        first_datagram.append(time.monotonic())
        watch.close()

    threading.Thread(target=first, daemon=True).start()

    peak = [0]

    def watch_memory():
        while posepipe.poll() is None:
            peak[0] = max(peak[0], peak_rss(posepipe.pid) or 0)
            time.sleep(0.2)

    threading.Thread(target=watch_memory, daemon=True).start()

    sender = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-re",
                             "-stream_loop", str(args.loops), "-i", stream, "-map", "0", "-c", "copy", "-f", "tee",
                             f"[f=mpegts]udp://127.0.0.1:{target_port}?pkt_size=1316|"
                             f"[f=mpegts:onfail=ignore]udp://127.0.0.1:{relay_port}?pkt_size=1316"])
    os.remove(stream)
    status = posepipe.wait()
    reader.join()
    stderr = open(stderr_path).read()
    os.remove(stderr_path)

    frames = [(arrival, record) for arrival, record in lines if "frame" in record]
    sent = frame_count(args.clip) * (1 + args.loops)
    result = {"clip": os.path.basename(args.clip), "rate": args.rate, "options": " ".join(args.rest), "exit": status,
              "sender_exit": sender.returncode, "sent": sent, "written": len(frames)}
    if frames and first_datagram:
        t0 = first_datagram[0]
        pts0 = min(record["pts"] for _, record in frames)
        processed = [(arrival, record) for arrival, record in frames if not record.get("skipped")]
        latencies = [arrival - (t0 + record["pts"] - pts0) for arrival, record in processed]
        if args.dump:
            with open(args.dump, "w") as dump:
                for arrival, record in frames:
                    late = arrival - (t0 + record["pts"] - pts0)
                    dump.write(f"{record['frame']} {int(bool(record.get('skipped')))} {late:.3f} {len(record['persons'])}\n")
        result.update({
            "processed": len(processed),
            "skipped": len(frames) - len(processed),
            "latency_p50": percentile(latencies, 0.5),
            "latency_p95": percentile(latencies, 0.95),
            "latency_max": max(latencies) if latencies else None,
            "first_line": frames[0][0] - t0,
        })
    lost = re.search(r"(\d+) lost before posepipe", stderr)
    result["lost"] = int(lost.group(1)) if lost else 0
    result["unaccounted"] = sent - result["written"] - result["lost"]
    result["peak_rss_mb"] = round(peak[0] / 2**20)
    summary = [line for line in stderr.splitlines() if line.startswith("posepipe:") or " frames (" in line]
    result["stderr"] = summary[-4:]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
