"""The int8 quantisation's parts (Scripts/convert/int8_*.py) on real footage and a real shipped model: crops cut
as posepipe cuts them, BlazePose's heatmap refinement, the agreement measure, and a real quantisation of the
HRNet family whose error is measured where posepipe reads it."""
import json
import os

import numpy as np
import onnx
import pytest

import int8_crops
import int8_models
import int8_quantize
import quantize_int8

ROOT = int8_crops.ROOT
SPORTS = os.path.join(ROOT, "Fixtures", "sports2d_demo.mp4")


@pytest.fixture(scope="module")
def crops():
    return int8_crops.footage_inputs(os.path.join(ROOT, "Pipelines", "blazepose"), [(192, 256)], 2, paths=[SPORTS])


def test_real_people_are_cut_for_every_model(crops):
    # six frames (a fixture gets three times the frames asked for), each letterboxed and its two end squares
    assert len(crops["detector"]) == 18
    assert all(c.image.shape == (224, 224, 3) for c in crops["detector"])
    # sports2d's walker is found and followed once by the model's own rows: at least two crops a frame
    assert len(crops["landmark"]) >= 12 and all(c.image.shape == (256, 256, 3) for c in crops["landmark"])
    assert len(crops[(192, 256)]) >= 6 and all(c.image.shape == (256, 192, 3) for c in crops[(192, 256)])
    # a person fills the middle of a box crop: not black, not flat
    middle = crops[(192, 256)][0].image[64:192, 48:144]
    assert middle.mean() > 20 and middle.std() > 10
    assert all(c.frame_px > 0.5 for c in crops["landmark"])


def test_evaluation_views_never_calibrate(monkeypatch):
    monkeypatch.setattr(int8_crops.footage, "materialise", lambda python: {"train": [type("P", (), {
        "name": "Demo_SinglePerson_cam01.mp4", "__str__": lambda self: "/x/Demo_SinglePerson_cam01.mp4"})()]})
    with pytest.raises(SystemExit):
        int8_crops.clips()


def test_crop_corners_map_back_to_the_frame():
    # a square of side 256 frame px turned a quarter: input (0, 0) is its corner at top-right on screen
    corner = int8_crops.crop_to_frame([[0, 0], [128, 128]], (500, 300), 256, np.pi / 2, 256)
    assert np.allclose(corner, [[628, 172], [500, 300]])


def test_blazepose_refinement_is_the_confidence_weighted_window():
    size = (256, 256)
    rows = np.zeros((1, 39, 5), np.float32)
    rows[0, :, :2] = 100.0  # every keypoint regressed at (100, 100): heatmap cell 25
    maps = np.full((1, 64, 64, 39), -20.0, np.float32)
    maps[0, 25, 25, 0], maps[0, 25, 26, 0] = 20.0, 20.0  # keypoint 0: two sure cells side by side
    named = {"Identity": rows.reshape(1, -1), "Identity_1": np.ones((1, 1), np.float32), "Identity_3": maps}
    (points, clear), = int8_models.mediapipe_points(named, {"output": "Identity_3", "kernel": 7}, size)
    assert points[0] == pytest.approx([25.5 / 64 * 256, 25 / 64 * 256], abs=1e-3)
    assert points[1] == pytest.approx([100, 100])  # nothing sure in its window: the regression stays
    assert clear[0] and not clear[1] and clear[-1] and clear[-2]  # alignment rows always count


def test_distances_are_in_frame_pixels_over_clear_keypoints_only():
    crop = int8_crops.Crop("a.mp4", np.zeros((1, 1, 3), np.uint8), 2.0)
    float_points = [(np.array([[0.0, 0.0], [10.0, 0.0]]), np.array([True, False]))]
    quant_points = [(np.array([[3.0, 4.0], [90.0, 0.0]]), None)]
    d = int8_quantize.distances([crop], float_points, quant_points)
    assert d["median_px"] == 10.0 and d["median_input_px"] == 5.0 and d["keypoints"] == 1
    assert int8_quantize.distances([crop], float_points, quant_points, clips={"b.mp4"}) is None
    assert not int8_quantize.holds(d) and int8_quantize.holds(dict(d, median_px=0.5, p95_px=3.0))


def test_tracks_are_paired_by_nearest_person(tmp_path):
    def write(path, people):
        with open(path, "w") as f:
            f.write(json.dumps({"schema": "posepipe.tracks"}) + "\n")
            f.write(json.dumps({"frame": 0, "persons": [{"keypoints": p} for p in people]}) + "\n")
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write(a, [[[10, 10, 0.9], [20, 20, 0.9]], [[500, 500, 0.9], [510, 510, 0.1]]])
    write(b, [[[500, 503, 0.9], [510, 510, 0.9]], [[11, 10, 0.9], [20, 20, 0.2]]])
    d = quantize_int8.matched_distances(str(a), str(b))
    assert sorted(d.tolist()) == [1.0, 3.0]


def test_hrnet_quantises_to_int8_and_is_measured_where_posepipe_reads_it(crops, tmp_path):
    model = int8_models.pose_model(os.path.join(ROOT, "Pipelines", "hrnet"))
    assert model.size == (192, 256) and model.layout == "NCHW" and model.clear == 0.3
    data = crops[model.size]
    q = int8_quantize.Quantiser(model, data, data, str(tmp_path))
    path = str(tmp_path / "int8.onnx")
    agreement = q.quantise([], path)
    graph = onnx.load(path).graph
    ops = {n.op_type for n in graph.node}
    assert {"QuantizeLinear", "DequantizeLinear"} <= ops
    # per-channel: the first convolution's weight scales are a vector, one per output channel
    scales = [t for t in graph.initializer if t.name.endswith("_scale") and len(t.dims) == 1 and t.dims[0] > 1]
    assert scales
    # int8 is close to float on the people it was calibrated on, but not identical
    assert agreement["keypoints"] > 10 and agreement["median_input_px"] <= 1.0
    excluded = q.quantise(q.order, str(tmp_path / "float.onnx"))  # every node kept float: no error at all
    assert excluded["p95_px"] == 0.0
