"""The training loop's promises: schedules give the rates they state, near-identical crops share one crop's
weight, crops without a person stay away from everyone, a resumed run follows the same path as an
uninterrupted one, and every family's target decodes back to the teacher's point (the checks module)."""
import math

import numpy as np
import pytest
import torch

from seedtrain import cache, checks, train
from seedtrain.family import Schedule
from seedtrain.teacher import Person


def test_cosine_schedule_warms_up_then_decays_to_zero():
    s = Schedule(steps=1200, batch=8, lr=1e-3, warmup=200)
    assert s.lr_at(0, 1200) == pytest.approx(1e-3 / 200)
    assert s.lr_at(199, 1200) == pytest.approx(1e-3)
    assert s.lr_at(700, 1200) == pytest.approx(0.5e-3)
    assert s.lr_at(1200, 1200) == pytest.approx(0.0, abs=1e-12)


def test_step_schedule_drops_at_its_milestones():
    s = Schedule(steps=210, batch=32, lr=1e-3, warmup=0, milestones=(170 / 210, 200 / 210))
    assert [s.lr_at(step, 210) for step in (0, 169, 170, 199, 200)] == pytest.approx([1e-3, 1e-3, 1e-4, 1e-4, 1e-5])


def person(track, x, pose_shift=0.0, side=100.0):
    keypoints = np.stack([np.linspace(0, 60, 17) + x + pose_shift * (np.arange(17) % 3), np.linspace(0, 90, 17)], 1)
    return Person(np.array([x, 0.0, side * 0.6, side]), keypoints, np.ones(17, bool), track)


def test_a_still_person_weighs_one_crop_and_a_moving_one_every_crop():
    frames = [([person("a", 10.0), person("b", 300.0, pose_shift=5.0 * i)], []) for i in range(20)]
    weighed = cache.weigh_persons(frames)
    still = [w for _, p, w in weighed if p.track == "a"]
    moving = [w for _, p, w in weighed if p.track == "b"]
    assert sum(still) == pytest.approx(1.0) and len(still) == 20
    assert moving == [1.0] * 20


def test_a_still_person_counts_again_after_refresh_frames():
    frames = [([person("a", 10.0)], []) for _ in range(cache.REFRESH * 2 + 1)]
    assert sum(w for _, _, w in cache.weigh_persons(frames)) == pytest.approx(3.0)


def test_crops_without_a_person_keep_away_from_every_box():
    rng = np.random.default_rng(0)
    boxes = [np.array([100.0, 100.0, 60.0, 120.0]), np.array([600.0, 300.0, 80.0, 160.0])]
    frames = [([], boxes) for _ in range(200)]
    chosen = [(i, person("a", 100.0), 1.0) for i in range(200)]
    negatives = cache.select_negatives(frames, chosen, (1280, 720), rng)
    assert 10 < len(negatives) < 60
    for _, box in negatives:
        assert box[0] >= 0 and box[1] >= 0 and box[0] + box[2] <= 1280 and box[1] + box[3] <= 720
        assert not any(cache.overlaps(box, b, cache.NEGATIVE_MARGIN) for b in boxes)


def weights_after(steps, tiny_cache, stops):
    """hrnet's weights after `steps` steps, the run stopped and resumed at each of `stops`."""
    name = "hrnet"
    folder = train.run_dir(name, False)
    for f in folder.glob("*.pt"):
        f.unlink()
    done = 0
    for stop in list(stops) + [steps]:
        run = train.Run(name, False, seed=3, threads=1, steps=steps, cache=tiny_cache)
        run.resume()
        run.schedule = Schedule(steps=steps, batch=2, lr=1e-3, validate_every=2, warmup=1)
        run.batch, run.validate_every = 2, 2
        # One step per call until `stop`: the time budget of a real run, made exact.
        while run.step < stop:
            run.train(minutes=0)
        done = run.step
    assert done == steps
    return {k: v.clone() for k, v in run.model.state_dict().items()}, run


def test_a_resumed_run_follows_the_uninterrupted_path(tiny_cache):
    straight, run = weights_after(4, tiny_cache, stops=[])
    resumed, _ = weights_after(4, tiny_cache, stops=[1, 3])
    assert straight.keys() == resumed.keys()
    for key in straight:
        assert torch.equal(straight[key], resumed[key]), key
    assert [h["step"] for h in run.history] == [2, 4]
    assert (train.run_dir("hrnet", False) / "best.pt").exists()


def test_a_finished_run_parked_without_its_optimiser_resumes_as_finished(tiny_cache):
    import shutil
    from seedtrain import parked
    trained, _ = weights_after(4, tiny_cache, stops=[])
    folder = train.run_dir("hrnet", False)
    try:
        assert parked.park("hrnet", folder)
        assert "optimiser" not in torch.load(parked.PARKED / "hrnet/checkpoint.pt", weights_only=False)
        for f in folder.glob("*.pt"):
            f.unlink()
        run = train.Run("hrnet", False, seed=3, threads=1, steps=4, cache=tiny_cache)
        run.resume()
        assert run.step == 4 and run.done
        run.train(minutes=0)
        assert run.step == 4
        for key, value in run.model.state_dict().items():
            assert torch.equal(value, trained[key]), key
    finally:
        shutil.rmtree(parked.PARKED / "hrnet", ignore_errors=True)


@pytest.mark.parametrize("name", train.FAMILIES)
def test_every_family_target_decodes_back(name):
    family = train.load_family(name)
    bound = checks.random_points(family, np.random.default_rng(0), count=340)
    limit = 1e-3 if family.codec == "regression" else 0.25 + 1e-6
    assert bound <= limit and math.isfinite(bound)


def test_every_clip_gets_the_same_share_of_the_draws():
    from seedtrain.family import clip_balanced
    weights = np.array([1.0, 1.0, 1.0, 0.5, 0.5, 2.0], np.float32)
    clips = np.array(["crowd", "crowd", "crowd", "lab", "lab", "walk"])
    p = clip_balanced(weights, clips)
    assert p.sum() == pytest.approx(1.0)
    # float32 weights of many crops: numpy's draw accepts the sum (it failed on the real cache, 5810 crops)
    many = np.random.default_rng(0).uniform(0.01, 1, 5810).astype(np.float32)
    names = np.array([f"clip{i % 9}" for i in range(5810)])
    np.random.default_rng(1).choice(5810, 16, replace=False, p=clip_balanced(many, names))
    assert [p[clips == c].sum() for c in ("crowd", "lab", "walk")] == pytest.approx([1 / 3] * 3)
    assert p[3] == pytest.approx(p[4])


def test_a_card_of_a_run_stopped_before_its_first_validation_says_so():
    from seedtrain.card import validation_text
    assert validation_text(None, 118) == "No validation yet: step 118 was exported as the last checkpoint."
    chosen = validation_text({"pck05": 0.5, "pck10": 0.7, "rejected": 1.0, "clear_score": 0.6}, 150)
    assert chosen.startswith("The validation view chose step 150") and "PCK@0.1 0.700" in chosen
    assert "(mean score < 0.6)" in chosen


def test_a_card_names_only_the_rejection_threshold_its_record_was_measured_at():
    from seedtrain.card import validation_text
    unrecorded = validation_text({"pck05": 0.5, "pck10": 0.7, "rejected": 1.0}, 150)
    assert "mean score <" not in unrecorded and unrecorded.endswith("rejected 1.00.")


def test_a_keypoint_on_the_other_sides_joint_counts_as_the_other_side():
    from seedtrain.keypoints import NUM_KEYPOINTS
    from seedtrain.sides import sides
    truth = np.stack([np.arange(NUM_KEYPOINTS) * 10.0, np.zeros(NUM_KEYPOINTS)], -1)[None]
    points = truth.copy()
    points[0, 13] = truth[0, 14]          # left knee put on the right knee
    points[0, 15] = truth[0, 15] + 50     # left ankle lost: on neither ankle
    clear = np.ones((1, NUM_KEYPOINTS), bool)
    clear[0, 16] = False                  # the right ankle is not the teacher's to judge
    n, hit, swapped = sides(points, truth, clear, np.array([[40.0, 40.0]]))
    assert n[13] == 1 and hit[13] == 0 and swapped[13] == 1
    assert hit[15] == 0 and swapped[15] == 0
    assert n[16] == 0 and hit[16] == 0
    assert hit.sum() == NUM_KEYPOINTS - 3 and swapped.sum() == 1


def test_a_pair_is_right_swapped_on_one_limb_or_other():
    from seedtrain.keypoints import NUM_KEYPOINTS
    from seedtrain.sides import OUTCOMES, PAIRS, pairs
    truth = np.stack([np.arange(NUM_KEYPOINTS) * 10.0, np.zeros(NUM_KEYPOINTS)], -1)[None].repeat(5, 0)
    points = truth.copy()
    points[1, [13, 14]] = truth[1, [14, 13]]      # knees swapped
    points[2, 14] = truth[2, 13]                  # both knees on the left leg
    points[3, 14] = truth[3, 14] + 50             # right knee lost
    clear = np.ones((5, NUM_KEYPOINTS), bool)
    clear[4, 13] = False                          # not the teacher's to judge
    counts = pairs(points, truth, clear, np.full((5, 2), 40.0))
    knees = counts[PAIRS.index((13, 14))]
    assert dict(zip(OUTCOMES, knees)) == {"both right": 1, "swapped": 1, "both on one limb": 1, "other": 1}
    assert (counts[PAIRS.index((15, 16))] == [5, 0, 0, 0]).all()
    truth[:, 14] = truth[:, 13] + 2               # joints closer than 0.1 of the box: not judged
    assert pairs(points, truth, clear, np.full((5, 2), 40.0))[PAIRS.index((13, 14))].sum() == 0
