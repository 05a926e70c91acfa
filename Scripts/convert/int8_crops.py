"""Real model inputs for int8 calibration and agreement: what posepipe feeds each model, cut from real footage.

The footage is the fixtures and seed training's `train` clips (Scripts/training/seedtrain/footage.py), never
pose2sim's Demo_SinglePerson or Demo_Batch/Trial_1 (the evaluation views). From sampled frames:
- BlazePose detector inputs: each frame letterboxed to 224 px and its left/right (top/bottom) squares;
- BlazePose landmark crops: for every person the float detector finds there, MediaPipe's aligned crop from the
  detection, then the crop the float landmark model's own alignment rows (33, 34) give, as posepipe follows a
  person from frame to frame;
- box crops (the trained families): MMPose's box rule (padding 1.25, aspect fixed) around the keypoints the
  float landmark model sees clearly, as posepipe crops for a followed person.
Each crop keeps its scale (frame pixels per input pixel) so that differences can be given in frame pixels.
"""
import math
import os
import subprocess
import sys
from dataclasses import dataclass

import cv2
import numpy as np
import onnxruntime as ort

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "Scripts", "training"))
from seedtrain import crops as box_rule  # noqa: E402  MMPose's box crop, shared with training
from seedtrain import footage  # noqa: E402

EVALUATION_VIEWS = ("Demo_SinglePerson", "Demo_Batch", "Trial_1")
FIXTURES = ("sports2d_demo.mp4", "pose2sim_multiperson_cam02.mp4", "vtest_pedestrians.mp4")
DETECTOR_SIDE, LANDMARK_SIDE = 224, 256
SCORE, NMS_IOU, PRESENCE, CLEAR = 0.5, 0.3, 0.5, 0.5


@dataclass
class Crop:
    clip: str
    image: np.ndarray      # uint8 RGB, the model's input size
    frame_px: float        # frame pixels per input pixel


def clips():
    """The calibration footage: the fixtures, then every `train` clip (fetched once by seedtrain.footage)."""
    paths = [os.path.join(ROOT, "Fixtures", name) for name in FIXTURES]
    trained = footage.materialise(sys.executable)["train"]
    paths += [str(p) for p in trained if p.name not in FIXTURES]
    for path in paths:
        if any(view in path for view in EVALUATION_VIEWS):
            sys.exit(f"int8: {path} is an evaluation view and must not calibrate anything")
    return paths


def frames(path, count):
    """`count` frames spread over the clip, RGB uint8, decoded by FFmpeg (long side at most 1920 px)."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries",
                            "stream=nb_read_packets", "-of", "csv=p=0", path], capture_output=True, text=True, check=True)
    total = int(probe.stdout.strip().split(",")[0])
    step = max(1, total // count)
    scale = "scale='if(gt(iw,ih),min(1920,iw),-2)':'if(gt(iw,ih),-2,min(1920,ih))'"
    raw = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-vf",
                          f"select=not(mod(n\\,{step})),{scale}", "-fps_mode", "passthrough", "-frames:v", str(count),
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    w, h = _scaled_size(path)
    return list(np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3))


def _scaled_size(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                          "-of", "csv=p=0", path], capture_output=True, text=True, check=True).stdout
    w, h = (int(v) for v in out.strip().split(",")[:2])
    long_side = max(w, h)
    if long_side <= 1920:
        return w, h
    k = 1920 / long_side
    short = int(round(min(w, h) * k / 2)) * 2  # FFmpeg's -2: divisible by 2
    return (1920, short) if w >= h else (short, 1920)


def rotated_square(frame, center, size, rotation, side):
    """A side x side square of the frame, `size` px wide around `center` (continuous, corner-origin), turned
    by `rotation` radians clockwise on screen; bilinear, black outside (MediaPipe's ImageToTensor)."""
    c, s = math.cos(rotation), math.sin(rotation)
    k = size / side
    # crop index (u, v) -> frame index: centre + R((u + 0.5) k - size/2, (v + 0.5) k - size/2) - 0.5
    a = np.array([[c * k, -s * k], [s * k, c * k]])
    offset = np.asarray(center) - 0.5 + a @ np.array([0.5 - side / 2, 0.5 - side / 2])
    m = np.concatenate([a, offset[:, None]], axis=1)
    return cv2.warpAffine(frame, m, (side, side), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def crop_to_frame(points, center, size, rotation, side):
    """Continuous crop coordinates (input pixels) back to the frame."""
    c, s = math.cos(rotation), math.sin(rotation)
    d = (np.asarray(points, np.float64) / side - 0.5) * size
    return np.stack([center[0] + c * d[:, 0] - s * d[:, 1], center[1] + s * d[:, 0] + c * d[:, 1]], axis=1)


def aligned(p0, p1, scale=1.25):
    """MediaPipe's crop from two alignment points: centred on p0, side 2|p1 - p0| scale, p0 -> p1 upright."""
    size = 2 * math.hypot(p1[0] - p0[0], p1[1] - p0[1]) * scale
    rotation = math.pi / 2 - math.atan2(-(p1[1] - p0[1]), p1[0] - p0[0])
    return (float(p0[0]), float(p0[1])), size, rotation


def anchors():
    """MediaPipe's SSD anchors for the pose detector (strides 8, 16, 32 x3; 2, 2 and 6 anchors a cell)."""
    out = []
    for stride, per_cell in ((8, 2), (16, 2), (32, 6)):
        cells = DETECTOR_SIDE // stride
        out += [((x + 0.5) / cells, (y + 0.5) / cells) for y in range(cells) for x in range(cells) for _ in range(per_cell)]
    return np.array(out)


ANCHORS = anchors()


def overlap(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - ix * iy
    return ix * iy / union if union > 0 else 0.0


def detect(session, square, center, size):
    """Aligned crops (centre, side, rotation in the frame) of the people the detector finds in one square."""
    raw, logits = session.run(None, {session.get_inputs()[0].name: (square[None] / 127.5 - 1).astype(np.float32)})
    raw, scores = raw[0], 1 / (1 + np.exp(-np.clip(logits[0, :, 0].astype(np.float64), -100, 100)))
    kept = []
    for i in np.argsort(-scores):
        if scores[i] < SCORE:
            break
        cx, cy = raw[i, :2] / DETECTOR_SIDE + ANCHORS[i]
        bw, bh = raw[i, 2:4] / DETECTOR_SIDE
        box = (cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2)
        if all(overlap(box, other) <= NMS_IOU for other, _ in kept):
            kept.append((box, raw[i, 4:8].reshape(2, 2) / DETECTOR_SIDE + ANCHORS[i]))
    return [aligned(*(np.asarray(center) + (p - 0.5) * size for p in points)) for _, points in kept]


def squares(frame):
    """The frame letterboxed and its two end squares, each as (centre, side) in the frame."""
    h, w = frame.shape[:2]
    short = min(w, h)
    return [((w / 2, h / 2), max(w, h)), ((short / 2, short / 2), short), ((w - short / 2, h - short / 2), short)]


def box_crop(frame, box, width, height):
    """MMPose's box rule around an [x, y, w, h] box in corner-origin frame pixels."""
    center, scale = box_rule.box_center_scale([box[0] - 0.5, box[1] - 0.5, box[2], box[3]], width, height)
    matrix = box_rule.warp_matrix(center, scale, width, height)
    return box_rule.warp(frame, matrix, width, height), float(scale[0]) / width


def footage_inputs(blazepose_dir, family_sizes, frames_per_clip, paths=None):
    """Detector squares, landmark crops and box crops per family input size, from every calibration clip (or
    from `paths`)."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    detector = ort.InferenceSession(os.path.join(blazepose_dir, "pose_detection.onnx"), options)
    landmark = ort.InferenceSession(os.path.join(blazepose_dir, "pose_landmark_full.onnx"), options)
    out = {"detector": [], "landmark": [], **{size: [] for size in family_sizes}}
    for path in paths or clips():
        name = os.path.basename(path)
        # The fixtures decide whether int8 agrees: three times the frames, so the bounds rest on enough people.
        for frame in frames(path, frames_per_clip * (3 if name in FIXTURES else 1)):
            found = []
            for center, size in squares(frame):
                square = rotated_square(frame, center, size, 0.0, DETECTOR_SIDE)
                out["detector"].append(Crop(name, square, size / DETECTOR_SIDE))
                found += detect(detector, square, center, size)
            for crop in found:
                follow_one(frame, name, crop, landmark, out, family_sizes)
    return out


def follow_one(frame, name, crop, landmark, out, family_sizes):
    """The detection's crop, then the one the landmark model's alignment rows give, and box crops from it."""
    for _ in range(2):
        center, size, rotation = crop
        if not (size > 8 and math.isfinite(size)):
            return
        image = rotated_square(frame, center, size, rotation, LANDMARK_SIDE)
        out["landmark"].append(Crop(name, image, size / LANDMARK_SIDE))
        rows, flag, _ = landmark.run(None, {"input_1": (image[None] / 255.0).astype(np.float32)})
        if flag.ravel()[0] < PRESENCE:
            return
        rows = rows.reshape(-1, 5)
        points = crop_to_frame(rows[:, :2], center, size, rotation, LANDMARK_SIDE)
        crop = aligned(points[33], points[34])
    clear = points[:33][1 / (1 + np.exp(-rows[:33, 3])) >= CLEAR]
    if len(clear) < 4:
        return
    lo, hi = clear.min(0), clear.max(0)
    for (width, height) in family_sizes:
        image, scale = box_crop(frame, [lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1]], width, height)
        out[(width, height)].append(Crop(name, image, scale))
