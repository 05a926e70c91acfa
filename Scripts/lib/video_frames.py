"""Every frame of a video as uint8 arrays [frames, h, w, 3], through the ffmpeg command-line tool (the same
decoder posepipe links): `frames(video, "rgb24")`, or "bgr24" for the order OpenCV-based tools read. Use a
lossless clip (Fixtures/mmpose/person.mkv) when a reference must see posepipe's pixels."""
import subprocess

import numpy as np


def frames(video, pix_fmt="rgb24"):
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                            "-of", "csv=p=0", video], capture_output=True, text=True, check=True)
    w, h = map(int, probe.stdout.strip().split(","))
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", video, "-f", "rawvideo", "-pix_fmt", pix_fmt, "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)
