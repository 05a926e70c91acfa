"""Each codec's encode and decode agree: a target placed for a point decodes back to it (within what the
decoder's rule can resolve), and each decode rule gives the exact values its published rule gives."""
import numpy as np
import pytest

import keypoint_codecs as codecs

SIZES = ((192, 256), (48, 64))


def random_points(rng, input_size, count=170, margin=12):
    w, h = input_size
    return rng.uniform([margin, margin], [w - margin, h - margin], size=(count, 2))


@pytest.mark.parametrize("codec", [codecs.MSRA(*SIZES), codecs.Newell((256, 256), (64, 64)), codecs.Megvii(*SIZES)],
                         ids=["msra", "newell", "megvii"])
def test_heatmap_round_trip_is_within_a_quarter_cell(codec):
    rng = np.random.default_rng(0)
    points = random_points(rng, codec.input_size)
    for chunk in np.split(points, 10):
        maps, weights = codec.encode(chunk, np.ones(len(chunk), bool))
        assert weights.all()
        decoded, scores = codec.decode(maps)
        error_cells = np.abs(decoded - chunk) / codec.stride
        assert error_cells.max() <= 0.25 + 1e-6
        assert np.all(scores > 0.5)


def test_points_outside_or_hidden_get_no_target():
    codec = codecs.MSRA(*SIZES)
    points = np.array([[100.0, 100.0], [-40.0, 10.0], [50.0, 60.0]])
    maps, weights = codec.encode(points, np.array([True, True, False]))
    assert weights.tolist() == [1.0, 0.0, 0.0]
    assert maps[1].max() == 0 and maps[2].max() == 0
    assert maps[0].max() == pytest.approx(1.0, abs=0.02)


def test_msra_joint_guard_and_quarter_step_exact():
    codec = codecs.MSRA(*SIZES)
    maps = np.zeros((2, 64, 48), np.float32)
    maps[0, 20, 10], maps[0, 20, 11], maps[0, 19, 10] = 1.0, 0.5, 0.25    # right and up are higher
    maps[1, 0, 5], maps[1, 0, 6] = 1.0, 0.9                               # top row: the guard keeps the argmax
    decoded, scores = codec.decode(maps)
    assert decoded[0].tolist() == [(10 + 0.25) * 4, (20 - 0.25) * 4]
    assert decoded[1].tolist() == [5 * 4, 0.0]
    assert scores.tolist() == [1.0, 1.0]


def test_newell_adds_half_a_cell():
    codec = codecs.Newell((256, 256), (64, 64))
    maps = np.zeros((1, 64, 64), np.float32)
    maps[0, 30, 12], maps[0, 30, 11] = 1.0, 0.3                           # left is higher
    decoded, _ = codec.decode(maps)
    assert decoded[0].tolist() == [(12 - 0.25 + 0.5) * 4, (30 + 0.5) * 4]


def test_megvii_targets_peak_at_255_and_score_rule():
    codec = codecs.Megvii(*SIZES)
    maps, _ = codec.encode(np.array([[96.0, 128.0]]), np.array([True]), kernel=11)
    assert maps.max() == pytest.approx(255.0)
    _, scores = codec.decode(maps)
    assert scores[0] == pytest.approx(255.0 / 255.0 + 0.5, abs=1e-5)


def test_megvii_kernel_ladders():
    assert codecs.megvii_kernels(2, 4) == [[15, 11, 9, 7], [11, 9, 7, 5]]
    assert codecs.megvii_kernels(4, 4) == [[15, 11, 9, 7]] * 3 + [[11, 9, 7, 5]]


def test_regression_round_trip_and_score():
    codec = codecs.Regression((192, 256))
    points = random_points(np.random.default_rng(1), (192, 256), 17)
    coords, weights = codec.encode(points, np.ones(17, bool))
    assert weights.all() and coords.min() >= 0 and coords.max() <= 1
    values = np.concatenate([coords, np.zeros((17, 2))], 1)               # sigma logits 0: score 0.5
    decoded, scores = codec.decode(values)
    assert np.abs(decoded - points).max() < 1e-4
    assert np.allclose(scores, 0.5)
