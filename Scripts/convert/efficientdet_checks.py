"""The checks of the EfficientDet-Lite0 conversion: the ONNX model against the TFLite interpreter on seeded and
real frames, people per frame under four ways of fitting a frame, the anchors MODELS.md describes, and speed.
Used by convert_efficientdet.py; each returns what MODELS.md reports.
"""
import os
import statistics
import time

import numpy as np
import tensorflow as tf

from efficientdet_graph import (CANDIDATE_BOXES, CANDIDATE_LOGITS, CANDIDATE_PERSON_LOGITS, DETECTIONS, INPUT,
                                MAX_DETECTIONS, PERSON, SIZE)
from tflite_conversion import decode_frames, interface, session, test_inputs, video_size

PAD_GREY = 127           # automl pads after normalising, with 0 = (127 - 127) / 128 in pixel terms
BOX_TOLERANCE = 0.05     # input pixels (0..320)
SCORE_TOLERANCE = 1e-4
LOGIT_TOLERANCE = 2e-3
FRAMES = {"vtest_pedestrians.mp4": [0, 20, 40, 60], "sports2d_demo.mp4": [0, 60, 120, 180]}
TIMED_RUNS = 50
LAYOUTS = ("automl", "top-left black", "centred", "stretch")


# ---------------------------------------------------------------- frames

def fitted(width, height):
    """automl's resize: the whole frame fits, scale = min(320/h, 320/w), sides floored."""
    scale = min(SIZE / width, SIZE / height)
    return int(width * scale), int(height * scale)


def frames(path, indices, layout):
    """Frames `indices` of a video as uint8 [320, 320, 3] RGB, through FFmpeg.

    layout "automl": aspect kept, image at the top-left, the rest grey 127 (automl's rule);
    "top-left black": the same with black; "centred": aspect kept, centred, black (posepipe's
    BlazePose letterbox); "stretch": 320x320.
    """
    width, height = video_size(path)
    w, h = fitted(width, height)
    resize = {
        "automl": f"scale={w}:{h}:flags=bilinear,pad={SIZE}:{SIZE}:0:0:color=0x{PAD_GREY:02X}{PAD_GREY:02X}{PAD_GREY:02X}",
        "top-left black": f"scale={w}:{h}:flags=bilinear,pad={SIZE}:{SIZE}:0:0:color=black",
        "centred": f"scale={w}:{h}:flags=bilinear,pad={SIZE}:{SIZE}:{(SIZE - w) // 2}:{(SIZE - h) // 2}:color=black",
        "stretch": f"scale={SIZE}:{SIZE}:flags=bilinear",
    }[layout]
    return decode_frames(path, indices, resize, (SIZE, SIZE))


def synthetic_inputs():
    """convert-blazepose's seeded noise and gradient images, as the uint8 the TFLite model takes."""
    return [np.round(x[0]).astype(np.uint8) for x in test_inputs((1, SIZE, SIZE, 3), 0, 255)]


# ---------------------------------------------------------------- runtimes

class TFLite:
    """The original model: detections from the default interpreter (as NVRChannel runs it), the
    pre-NMS tensors from a second one that keeps intermediate tensors readable."""
    BOXES, LOGITS = "stack_2", "concat"
    ANCHORS = ("truediv_4", "truediv_5", "sub_2", "sub_3")   # yc = ty * h + yc_a ...: read off the graph

    def __init__(self, tflite_bytes, threads=None):
        self.plain = tf.lite.Interpreter(model_content=tflite_bytes, num_threads=threads)
        self.plain.allocate_tensors()
        self.full = tf.lite.Interpreter(model_content=tflite_bytes, experimental_preserve_all_tensors=True)
        self.full.allocate_tensors()
        names = {t["name"]: t["index"] for t in self.full.get_tensor_details()}
        self.inner = [names[self.BOXES], names[self.LOGITS]]

    def anchor_table(self):
        """The anchors baked into the graph's box decoding, [yc, xc, h, w] per candidate."""
        names = {t["name"]: t["index"] for t in self.full.get_tensor_details()}
        return np.stack([self.full.get_tensor(names[n])[0] for n in self.ANCHORS], -1)

    def detections(self, image):
        self.plain.set_tensor(self.plain.get_input_details()[0]["index"], image[None])
        self.plain.invoke()
        return self.plain.get_tensor(self.plain.get_output_details()[0]["index"])

    def run(self, image):
        self.full.set_tensor(self.full.get_input_details()[0]["index"], image[None])
        self.full.invoke()
        return [self.detections(image)] + [self.full.get_tensor(i) for i in self.inner]


def run_onnx(sess, image, outputs=None):
    return sess.run(outputs, {INPUT: image[None].astype(np.float32)})


def persons(detections, threshold):
    rows = detections[0]
    return int(((rows[:, 6] == PERSON) & (rows[:, 5] >= threshold)).sum())


def person_candidates(boxes, logits, threshold, iou=0.5):
    """Reference decode of the pre-NMS outputs for people only: sigmoid of the person logit,
    keep > threshold, greedy NMS dropping boxes with IoU > iou, best first (TF's rule)."""
    scores = 1 / (1 + np.exp(-logits[0, :, PERSON - 1].astype(np.float64)))
    order = [i for i in np.argsort(-scores, kind="stable") if scores[i] > threshold]
    b = boxes[0].astype(np.float64)
    area = lambda r: max(0.0, r[2] - r[0]) * max(0.0, r[3] - r[1])
    kept = []
    for i in order:
        ok = True
        for j in kept:
            ih = min(b[i, 2], b[j, 2]) - max(b[i, 0], b[j, 0])
            iw = min(b[i, 3], b[j, 3]) - max(b[i, 1], b[j, 1])
            inter = max(0.0, ih) * max(0.0, iw)
            if inter > iou * (area(b[i]) + area(b[j]) - inter):
                ok = False
                break
        if ok:
            kept.append(i)
        if len(kept) == MAX_DETECTIONS:
            break
    return kept


def anchors():
    """automl's anchors as MODELS.md describes them: [yc, xc, h, w] per candidate, input pixels."""
    table, feat = [], SIZE
    for level in range(1, 8):
        feat = (feat - 1) // 2 + 1            # automl's feature sizes: 160, 80, 40, 20, 10, 5, 3
        if level < 3:
            continue
        stride = SIZE / feat
        for y in range(feat):
            for x in range(feat):
                for octave in range(3):
                    for ratio in (1.0, 2.0, 0.5):
                        base = 3 * stride * 2 ** (octave / 3)
                        table.append([(y + 0.5) * stride, (x + 0.5) * stride,
                                      base / np.sqrt(ratio), base * np.sqrt(ratio)])
    return np.array(table)


# ---------------------------------------------------------------- verification

def compare(ref, ours):
    """Differences of one input: detections row by row, and the pre-NMS tensors."""
    det_ref, det_ours = ref[0][0], ours[0][0]
    valid = (int((det_ref[:, 5] > 0).sum()), int((det_ours[:, 5] > 0).sum()))
    return dict(
        valid=valid,
        box=float(np.abs(det_ref[:, 1:5] - det_ours[:, 1:5]).max()),
        score=float(np.abs(det_ref[:, 5] - det_ours[:, 5]).max()),
        other_columns_equal=bool((det_ref[:, [0, 6]] == det_ours[:, [0, 6]]).all()),
        candidate_box=float(np.abs(ref[1] - ours[1]).max()),
        candidate_logit=float(np.abs(ref[2] - ours[2]).max()),
        person_column_equal=bool((ours[3][..., 0] == ours[2][..., PERSON - 1]).all()),
    )


def verify(tflite_bytes, onnx_bytes, fixtures):
    tfl = TFLite(tflite_bytes)
    sess = session(onnx_bytes)
    io = interface(sess)
    order = [DETECTIONS, CANDIDATE_BOXES, CANDIDATE_LOGITS, CANDIDATE_PERSON_LOGITS]
    assert [n for n, _, _ in io] == [INPUT] + order, io

    cases = [(f"synthetic {k}", image) for k, image in enumerate(synthetic_inputs())]
    for video, indices in FRAMES.items():
        cases += [(f"{video} #{i}", image) for i, image in zip(indices, frames(os.path.join(fixtures, video), indices, "automl"))]

    rows, ok = [], True
    print(f"max abs diff ONNX vs TFLite per input (tolerances: boxes {BOX_TOLERANCE} px, scores "
          f"{SCORE_TOLERANCE}, logits {LOGIT_TOLERANCE}); persons = class {PERSON} rows at score >= 0.5 / >= 0.3")
    print(f"  {'input':28s} {'rows':>7s} {'box':>9s} {'score':>9s} {'cand box':>9s} {'logit':>9s}  "
          f"TFLite  ONNX")
    for name, image in cases:
        ref, ours = tfl.run(image), run_onnx(sess, image, order)
        d = compare(ref, ours)
        counts = {rt: (persons(det, 0.5), persons(det, 0.3)) for rt, det in (("tflite", ref[0]), ("onnx", ours[0]))}
        good = (d["valid"][0] == d["valid"][1] and d["other_columns_equal"] and d["person_column_equal"] and d["box"] <= BOX_TOLERANCE
                and d["score"] <= SCORE_TOLERANCE and d["candidate_box"] <= BOX_TOLERANCE
                and d["candidate_logit"] <= LOGIT_TOLERANCE and counts["tflite"] == counts["onnx"])
        ok &= good
        print(f"  {name:28s} {d['valid'][0]:3d}/{d['valid'][1]:<3d} {d['box']:9.2e} {d['score']:9.2e} "
              f"{d['candidate_box']:9.2e} {d['candidate_logit']:9.2e}  "
              f"{counts['tflite'][0]:2d}/{counts['tflite'][1]:<2d}  {counts['onnx'][0]:2d}/{counts['onnx'][1]:<2d}"
              + ("" if good else "  <-- MISMATCH"))
        rows.append(dict(name=name, counts=counts, **d))
    anchor_diff = float(np.abs(tfl.anchor_table() - anchors()).max())
    print(f"anchors as MODELS.md describes them vs the graph's: max abs diff {anchor_diff:.2e} px")
    ok &= anchor_diff <= 1e-3
    return ok, rows, io, anchor_diff


def layouts(onnx_bytes, fixtures):
    """People per frame (ONNX) under four ways of fitting the frame into 320x320, and from the
    pre-NMS outputs decoded for people only."""
    sess = session(onnx_bytes)
    print("persons per frame (ONNX): detections output >= 0.5 / >= 0.3 by layout; person-only decode of the candidates")
    table = []
    for video, indices in FRAMES.items():
        path = os.path.join(fixtures, video)
        per_layout = {layout: frames(path, indices, layout) for layout in LAYOUTS}
        for k, index in enumerate(indices):
            row = dict(name=f"{video} #{index}")
            for layout, images in per_layout.items():
                det, boxes, logits = run_onnx(sess, images[k], [DETECTIONS, CANDIDATE_BOXES, CANDIDATE_LOGITS])
                row[layout] = (persons(det, 0.5), persons(det, 0.3))
                if layout == "automl":
                    row["candidates"] = tuple(len(person_candidates(boxes, logits, t)) for t in (0.5, 0.3, 0.2))
            table.append(row)
            print(f"  {row['name']:28s} " + "  ".join(f"{layout} {row[layout][0]}/{row[layout][1]}" for layout in LAYOUTS)
                  + f"  candidates >0.5/>0.3/>0.2: {'/'.join(map(str, row['candidates']))}")
    return table


def timing(tflite_bytes, onnx_bytes, fixtures):
    """Median ms per run on one thread over TIMED_RUNS runs, after 5 warm-up runs: wall-clock time,
    and this process's CPU time, which the other work on a shared machine disturbs far less."""
    image = frames(os.path.join(fixtures, "vtest_pedestrians.mp4"), [0], "automl")[0]

    def median_ms(run):
        for _ in range(5):
            run()
        wall, cpu = [], []
        for _ in range(TIMED_RUNS):
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            wall.append(1000 * (time.perf_counter() - start))
            cpu.append(1000 * (time.process_time() - start_cpu))
        return statistics.median(wall), statistics.median(cpu)

    sess = session(onnx_bytes, threads=1)
    tfl = TFLite(tflite_bytes, threads=1)
    result = dict(onnx_all=median_ms(lambda: run_onnx(sess, image)),
                  onnx_detections=median_ms(lambda: run_onnx(sess, image, [DETECTIONS])),
                  tflite=median_ms(lambda: tfl.detections(image)))
    result["load"] = os.getloadavg()[0]   # the machine's other work, which the wall-clock figures include
    print(f"speed, one thread, median of {TIMED_RUNS}, wall (CPU) ms: " + ", ".join(
        f"{k} {v[0]:.1f} ({v[1]:.1f})" for k, v in result.items() if k != "load") + f"; load average {result['load']:.1f}")
    return result
