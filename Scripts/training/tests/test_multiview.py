"""The truth proxy's geometry (seedtrain.cameras, seedtrain.multiview) on Demo_MultiPerson's real calibration:
the .qca.txt reading agrees with facts checked without it, points projected by the parsed cameras triangulate
back exactly, people are associated across views, and leave-one-out measures a label's own error."""
import numpy as np
import pytest

from seedtrain import multiview
from seedtrain.cameras import project_undistorted, triangulate
from seedtrain.keypoints import NUM_KEYPOINTS
from seedtrain.teacher import Person


@pytest.fixture(scope="module")
def cameras():
    return multiview.read_cameras(multiview.footage.DATA)


def test_intrinsics_are_read_in_64ths_of_a_pixel(cameras):
    # The lens' focal length in mm over the focal length in pixels is the sensor's pixel pitch: 5.54 um for
    # every camera (the value Pose2Sim's toml-to-qca converter assumes); read as whole pixels it would be 64x off.
    for camera in cameras:
        assert camera.size == (1088, 1920)
        assert camera.focal_mm / camera.K[0, 0] == pytest.approx(5.54e-3, rel=1e-3)
        assert abs(camera.K[0, 2] - 543.5) < 40 and abs(camera.K[1, 2] - 959.5) < 40


def test_each_camera_appears_where_the_calibration_puts_it(cameras):
    # Where three cameras' lenses are seen in other cameras' first frames (measured by eye, +-3 px): a swapped
    # rotation, a mirrored principal point or a focal length 2 % off moves these by tens of pixels.
    offsets = multiview.lens_offsets(cameras)
    assert len(offsets) == 3
    assert max(offsets.values()) < 8.0, offsets


def test_the_world_is_z_up_and_in_front_of_every_camera(cameras):
    for camera in cameras:
        assert camera.depth(np.zeros(3)) > 2.0
        foot, head = camera.project(np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 1.7]]))
        assert head[1] < foot[1]                  # up in the world is up in the picture
        assert 0 <= foot[0] < 1088 and 0 <= foot[1] < 1920


def volume_points(n, seed=0):
    """Points where people stand: 3 m x 3 m around the origin, 0 to 2 m high."""
    rng = np.random.default_rng(seed)
    return rng.uniform([-1.5, -1.5, 0.0], [1.5, 1.5, 2.0], size=(n, 3))


def test_projected_points_triangulate_back_exactly(cameras):
    X = volume_points(200)
    P = np.stack([c.P for c in cameras])
    seen_in_frames = np.stack([c.project(X) for c in cameras], 1)        # [N, V, 2] as the frames show them
    undistorted = np.stack([c.undistort(seen_in_frames[:, v]) for v, c in enumerate(cameras)], 1)
    assert np.abs(undistorted - project_undistorted(P, X)).max() < 1e-6
    assert np.abs(triangulate(P, undistorted, np.ones((200, 4), bool)) - X).max() < 1e-9
    # Any two views suffice; one does not.
    two = np.zeros((200, 4), bool)
    two[:, [1, 3]] = True
    assert np.abs(triangulate(P, undistorted, two) - X).max() < 1e-9
    assert np.isnan(triangulate(P, undistorted, two & (np.arange(4) == 1))).all()


def test_distortion_is_applied_and_undone(cameras):
    camera = cameras[0]
    corner_ray = np.linalg.solve(camera.K, [5.0, 5.0, 1.0])
    X = camera.centre + camera.R.T @ corner_ray * 3.0
    assert np.linalg.norm(camera.project(X) - [5.0, 5.0]) > 0.05   # the lens bends the corners a little
    assert np.abs(camera.undistort(camera.project(X)) - [5.0, 5.0]).max() < 1e-9


def person(cameras, origin, seed, shift=None):
    """A 3D person (17 joints about `origin`) as a label in every view; `shift` {view: px} moves one view's."""
    rng = np.random.default_rng(seed)
    joints = np.array(origin) + rng.uniform([-0.25, -0.15, 0.0], [0.25, 0.15, 1.7], size=(NUM_KEYPOINTS, 3))
    labels = []
    for v, camera in enumerate(cameras):
        uv = camera.project(joints) + (shift or {}).get(v, 0.0)
        lo, hi = uv.min(0), uv.max(0)
        labels.append(Person(np.array([*lo, *(hi - lo)]), uv, np.ones(NUM_KEYPOINTS, bool), f"test:{seed}"))
    return labels


def test_people_are_associated_across_views_whatever_their_order(cameras):
    a, b = person(cameras, (-1.2, 0.0, 0.0), 1), person(cameras, (0.2, -0.4, 0.0), 2)
    views = [[a[0], b[0]], [b[1], a[1]], [b[2]], [a[3], b[3]]]     # view 2 misses the first person
    groups, people = multiview.associate(cameras, views)
    found = {tuple(id(people[v][i]) if i >= 0 else None for v, i in enumerate(g)) for g in groups}
    assert found == {(id(a[0]), id(a[1]), None, id(a[3])), (id(b[0]), id(b[1]), id(b[2]), id(b[3]))}


def test_leave_one_out_measures_each_views_own_error(cameras):
    labels = person(cameras, (-1.0, 0.2, 0.0), 3, shift={2: np.array([12.0, -16.0])})
    people = [[label] for label in labels]
    errors, who = multiview.leave_one_out(cameras, people, (0, 0, 0, 0))
    assert who == list(multiview.PEOPLE).index("man")
    own, mirror = errors[2]
    assert own == pytest.approx(np.full(NUM_KEYPOINTS, 20.0), abs=1e-6)   # the other three views are exact
    assert (errors[0][0] > 0.1).all()                                     # the shifted view pulls theirs off
