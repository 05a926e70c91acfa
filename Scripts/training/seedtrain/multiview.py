"""Do the teacher's labels move toward the truth? Four calibrated views of one scene say so without a human.

pose2sim==0.10.49's Demo_MultiPerson is four synchronised, calibrated cameras (Calib.qca.txt, read by cameras.py)
of two people. It is a re-render of the held-out Demo_SinglePerson capture (footage.py's "derived" split), so no model
learns from it or is chosen by it; this check only compares teacher variants, and its verdict (flip test, offline
smoothing, both detectors) holds for any footage.
For each teacher variant, per frame:
1. the people of the four views are associated: every way of giving each view's people (at most MAX_PEOPLE, the
   clearest) to as many slots as the busiest view has people is tried, and the one whose triangulation
   reprojects best wins (per observed clear keypoint: its reprojection error over the box size, capped at
   UNMATCHED, which is also what a keypoint no other view of its slot confirms costs);
2. leave one view out: each clear keypoint of a person in view v is compared with the point triangulated (DLT,
   undistorted) from the other views of the same person where the keypoint is clear (at least two), projected
   into v. Labels that agree better with the other views' triangulation are closer to the truth.
The calibration is checked first, twice: without labels (each camera's centre must project onto its lens where
another camera sees it, LENS_SIGHTINGS) and with them (keypoints clear in all four views, triangulated from all
four, reprojected). The second cannot go below the labels' own view-dependent error: with BlazePose's labels it
stays near 13 px (2 % of the box) while the first is 3 to 4 px, and the rotation of any one camera that lowers
the second puts that camera's lens sighting 25 to 100 px off: the 13 px are the teacher's, not the calibration's.
Two people are not equal witnesses: the man was filmed; the woman was added to the videos by Pose2Sim's authors
(PEOPLE), and BlazePose's labels of her agree half as well as his. Results are given for each.

Variants (posepipe's release binary, default BlazePose pipeline):
  a  old teacher: BlazePose's detector, --no-smoothing
  b  --no-smoothing --flip-test
  c  --flip-test, offline smoothing (the default for files)
  d  new teacher (teacher.py): c, plus the people of the same run with --detector efficientdet-lite0 whose box
     overlaps none of c's (teacher.merge)
Every variant keeps only the people teacher.py would teach from (teacher.teachable).

    PYTHONPATH=Scripts/training:Scripts/lib python -m seedtrain.multiview [--data DIR] [--runs DIR] [--posepipe BIN]
        [--pipeline DIR --runs DIR2]   # the same for a changed pipeline folder, e.g. its flip test's settings
"""
import argparse
import itertools
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import footage
from .cameras import project_undistorted, read_qca, triangulate
from .keypoints import COCO_NAMES, FLIP_INDICES, NUM_KEYPOINTS
from .teacher import iou, merge, read_run, teachable

REPO = footage.REPO
QCA = "Pose2Sim/Demo_MultiPerson/calibration/Calib.qca.txt"
# (split, clip name) of cam01..cam04, as footage.py extracts them.
VIEWS = sorted(((c.split, c.name) for c in footage.CLIPS if c.name.startswith("Demo_MultiPerson_cam")),
               key=lambda view: view[1])

RUNS = {"plain": ["--no-smoothing"], "flip": ["--no-smoothing", "--flip-test"], "flip-smooth": ["--flip-test"],
        "flip-smooth-box": ["--flip-test", "--detector", "efficientdet-lite0"]}
# The teacher's own label files (teacher.py's two runs: these options) stand for their runs when present.
TEACHER_FILES = {"flip-smooth": "blazepose", "flip-smooth-box": "box"}
VARIANTS = {"a old": ["plain"], "b flip": ["flip"], "c flip+smooth": ["flip-smooth"],
            "d new teacher": ["flip-smooth", "flip-smooth-box"]}

MAX_PEOPLE = 4       # per view and frame; the assignment search grows as MAX_PEOPLE! ** 3
UNMATCHED = 0.25     # association cost of a keypoint, in box sizes, when no other view confirms it
# A check of the calibration that needs no labels: where a camera's lens appears in another camera's first frame
# (the video cameras are the rig members without an infrared ring), measured by eye on 8x enlargements, +-3 px.
# {(seen camera, viewing camera): (x, y)}, pixel-centre coordinates.
LENS_SIGHTINGS = {(0, 2): (311.0, 245.5), (3, 1): (307.5, 366.0), (1, 3): (500.5, 295.0)}
# Who is who, by where they stand (world metres, z up): the man filmed walking on the treadmill, and the woman
# Pose2Sim added to the videos ("another virtual person", "hidden all along"), whose geometry across views is
# only as good as that composition; anyone else (a bystander at the back) is "other".
PEOPLE = {"man": (-1.2, 0.0), "woman (virtual)": (0.15, -0.4)}
PEOPLE_RADIUS = 0.7
GROUPS = {"face": [0, 1, 2, 3, 4], "shoulders": [5, 6], "elbows": [7, 8], "wrists": [9, 10], "hips": [11, 12],
          "knees": [13, 14], "ankles": [15, 16]}


def size(person):
    """The person's scale: sqrt(box w * h)."""
    return float(np.sqrt(person.box[2] * person.box[3]))


def group_costs(cameras, people, undistorted):
    """Association cost of every group (one person or none per view): {(index or -1 per view): cost}."""
    keys = list(itertools.product(*[range(-1, len(p)) for p in people]))
    V, J = len(cameras), NUM_KEYPOINTS
    uv, seen, scales = np.zeros((len(keys), J, V, 2)), np.zeros((len(keys), J, V), bool), np.ones((len(keys), V))
    for g, key in enumerate(keys):
        for v, i in enumerate(key):
            if i >= 0:
                uv[g, :, v], seen[g, :, v], scales[g, v] = undistorted[v][i], people[v][i].clear, size(people[v][i])
    X = triangulate(np.stack([c.P for c in cameras]), uv, seen)
    err = np.linalg.norm(project_undistorted(np.stack([c.P for c in cameras]), X) - uv, axis=-1) / scales[:, None]
    behind = np.stack([c.depth(X) <= 0 for c in cameras], -1)
    err = np.where(np.isnan(err) | behind, UNMATCHED, np.minimum(err, UNMATCHED))
    return dict(zip(keys, (err * seen).sum((1, 2))))


def associate(cameras, people):
    """people: per view, its labels. Returns (the people seen by two views or more: [(index or -1 per view)],
    per view the labels those indices refer to: the clearest MAX_PEOPLE)."""
    people = [sorted(p, key=lambda q: -q.clear.sum())[:MAX_PEOPLE] for p in people]
    slots = max(len(p) for p in people)
    if slots == 0:
        return [], people
    undistorted = [[c.undistort(q.keypoints) for q in p] for c, p in zip(cameras, people)]
    costs = group_costs(cameras, people, undistorted)
    reference = int(np.argmax([len(p) for p in people]))   # its people fix the slots' order
    options = [[tuple(range(slots))] if v == reference else list(itertools.permutations(range(slots), len(p)))
               for v, p in enumerate(people)]
    best, best_cost = None, np.inf
    for choice in itertools.product(*options):
        groups = [tuple(slot_of.index(s) if s in slot_of else -1 for slot_of in choice) for s in range(slots)]
        cost = sum(costs[g] for g in groups)
        if cost < best_cost:
            best, best_cost = groups, cost
    return [g for g in best if sum(i >= 0 for i in g) >= 2], people


def leave_one_out(cameras, people, group):
    """({view: ([J] px from each label to the other views' triangulation of its joint, [J] px to their
    triangulation of the mirror joint (left for right))}, index in PEOPLE or len(PEOPLE) for anyone else).
    NaN where not measurable: the keypoint is not clear in the view, or clear in fewer than two of the others."""
    V = len(cameras)
    P = np.stack([c.P for c in cameras])
    uv, seen = np.zeros((NUM_KEYPOINTS, V, 2)), np.zeros((NUM_KEYPOINTS, V), bool)
    for v, i in enumerate(group):
        if i >= 0:
            uv[:, v], seen[:, v] = cameras[v].undistort(people[v][i].keypoints), people[v][i].clear
    errors = {}
    centre = np.nanmedian(triangulate(P, uv, seen), axis=0)[:2]
    near = [np.linalg.norm(centre - np.array(at)) for at in PEOPLE.values()]
    who = int(np.argmin(near)) if min(near) < PEOPLE_RADIUS else len(PEOPLE)
    for v, i in enumerate(group):
        if i < 0:
            continue
        others = seen.copy()
        others[:, v] = False
        predicted = cameras[v].project(triangulate(P, uv, others))
        own = np.linalg.norm(predicted - people[v][i].keypoints, axis=-1)
        mirror = np.linalg.norm(predicted[FLIP_INDICES] - people[v][i].keypoints, axis=-1)
        errors[v] = (np.where(seen[:, v], own, np.nan), np.where(seen[:, v], mirror, np.nan))
    return errors, who


def all_view_residuals(cameras, people, group):
    """Reprojection error (px) of keypoints clear in every view, triangulated from all of them."""
    if min(group) < 0:
        return np.zeros(0)
    labels = [people[v][i] for v, i in enumerate(group)]
    clear = np.all([q.clear for q in labels], axis=0)
    uv = np.stack([c.undistort(q.keypoints) for c, q in zip(cameras, labels)], 1)[clear]
    X = triangulate(np.stack([c.P for c in cameras]), uv, np.ones(uv.shape[:2], bool))
    return np.concatenate([np.linalg.norm(c.project(X) - q.keypoints[clear], axis=-1)
                           for c, q in zip(cameras, labels)])


@dataclass
class Result:
    records: np.ndarray    # [N, 11]: frame, view, joint, px, mirror px, box size, who, box x, y, w, h
    residuals: np.ndarray  # [M] px, the calibration check's
    labelled: int          # clear keypoints of the variant's people, every view and frame
    people: float          # people seen by two views or more, per frame

    def column(self, name):
        return self.records[:, ["frame", "view", "joint", "px", "mirror", "size", "who"].index(name)]

    @property
    def boxes(self):
        return self.records[:, 7:11]


def measure(cameras, frames):
    """frames: per frame, per view, the variant's labels."""
    records, residuals, labelled, people_count = [], [], 0, 0
    for f, views in enumerate(frames):
        labelled += sum(int(q.clear.sum()) for p in views for q in p)
        groups, people = associate(cameras, views)
        people_count += len(groups)
        for group in groups:
            residuals.append(all_view_residuals(cameras, people, group))
            errors, who = leave_one_out(cameras, people, group)
            for v, (own, mirror) in errors.items():
                label = people[v][group[v]]
                for j in np.flatnonzero(~np.isnan(own)):
                    records.append((f, v, j, own[j], mirror[j], size(label), who, *label.box))
    return Result(np.array(records).reshape(-1, 11), np.concatenate(residuals or [np.zeros(0)]), labelled,
                  people_count / max(1, len(frames)))


def lens_offsets(cameras):
    """{(seen, viewer): px between where the calibration puts camera `seen` in `viewer`'s frame and its lens}."""
    return {(seen, viewer): float(np.linalg.norm(cameras[viewer].project(cameras[seen].centre) - np.array(xy)))
            for (seen, viewer), xy in LENS_SIGHTINGS.items()}


def pose2sim_wheel(data):
    """The wheel in DATA/packages/; else footage.py's, fetched once by pip."""
    name, version = footage.POSE2SIM.split("==")
    found = sorted((data / "packages").glob(f"{name}-{version}-*.whl"))
    return found[0] if found else footage.download(footage.POSE2SIM, False, sys.executable)


def read_cameras(data, distortion_scale=None):
    with zipfile.ZipFile(pose2sim_wheel(data)) as z:
        text = z.read(QCA).decode()
    cameras = read_qca(text) if distortion_scale is None else read_qca(text, distortion_scale)
    assert [c.name for c in cameras] == [f"cam0{i}" for i in (1, 2, 3, 4)], "cameras out of the clips' order"
    return cameras


def run_file(args, run, split, name):
    """The track file of one run over one view: the teacher's own when it made this run, else posepipe's."""
    teacher = args.data / "teacher" / TEACHER_FILES.get(run, "-") / split / f"{name}.jsonl"
    if teacher.exists() and not args.fresh and args.pipeline is None:
        return teacher
    out = args.runs / run / f"{name}.jsonl"
    if not out.exists():
        if not args.posepipe.exists():
            sys.exit(f"{args.posepipe} is missing: `swift build -c release --product posepipe`, or --posepipe BIN")
        out.parent.mkdir(parents=True, exist_ok=True)
        pipeline = [] if args.pipeline is None else ["--pipeline", str(args.pipeline)]
        subprocess.run([str(args.posepipe), str(args.data / "clips" / split / name), "-o", str(out), "--quiet",
                        "--threads", "2", *pipeline, *RUNS[run]], check=True)
    return out


def variant_frames(args, runs):
    """Per frame, per view: the variant's teachable labels."""
    views = []
    for split, name in VIEWS:
        per_run = [read_run(run_file(args, run, split, name), run) for run in runs]
        assert len({len(r) for r in per_run}) == 1, f"{name}: the runs disagree on the frame count"
        merged = [per_run[0][f] for f in range(len(per_run[0]))]
        for other in per_run[1:]:
            merged = [merge(a, b) for a, b in zip(merged, other)]
        views.append([[q for q in people if teachable(q)] for people in merged])
    assert len({len(v) for v in views}) == 1, "the views disagree on the frame count"
    return [list(frame) for frame in zip(*views)]


def in_common(results):
    """Per variant, a mask of its records that every other variant also measured: same frame, view and joint,
    and a box overlapping by IoU >= 0.5 (the same person)."""
    index = {}
    for name, result in results.items():
        for key, box in zip(result.records[:, :3].astype(int), result.boxes):
            index.setdefault(name, {}).setdefault(tuple(key), []).append(box)
    return {name: np.array([all(any(iou(box, b) >= 0.5 for b in index[other].get(tuple(key), []))
                                for other in results if other != name)
                            for key, box in zip(result.records[:, :3].astype(int), result.boxes)], bool)
            for name, result in results.items()}


def summary(result, mask=None):
    """Cells: measured, median px, p90 px, median / box, % < 0.05, % < 0.1, % swapped. A label is swapped
    when the other views put its mirror joint (left for right) within 0.05 of the box and its own joint
    beyond 0.1."""
    mask = np.ones(len(result.records), bool) if mask is None else mask
    px, mirror, scale = result.column("px")[mask], result.column("mirror")[mask], result.column("size")[mask]
    if len(px) == 0:
        return ["0"] + ["-"] * 6
    frac = px / scale
    swapped = (frac > 0.1) & (mirror / scale < 0.05)
    return [str(len(px)), f"{np.median(px):.1f}", f"{np.percentile(px, 90):.1f}", f"{np.median(frac):.4f}",
            f"{100 * np.mean(frac < 0.05):.1f}", f"{100 * np.mean(frac < 0.1):.1f}", f"{100 * np.mean(swapped):.1f}"]


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def report(results):
    cells = ["measured", "median px", "p90 px", "median / box", "% < 0.05", "% < 0.1", "% swapped"]
    print("\nEvery variant's own labels (leave one view out):\n")
    print(table(["variant", "labelled", "people / frame"] + cells,
                [[name, str(r.labelled), f"{r.people:.2f}"] + summary(r) for name, r in results.items()]))
    masks = in_common(results)
    print("\nKeypoints every variant labels (same frame, view, joint and person):\n")
    print(table(["variant"] + cells, [[name] + summary(r, masks[name]) for name, r in results.items()]))
    for who, person in enumerate(PEOPLE):
        print(f"\nThe {person} alone, every variant's own labels:\n")
        print(table(["variant"] + cells,
                    [[name] + summary(r, r.column("who") == who) for name, r in results.items()]))
    print("\nPer view and person, every variant's own labels (is one camera's teacher wrong where the others "
          "agree?):\n")
    rows = []
    for name, r in results.items():
        for view, (_, clip) in enumerate(VIEWS):
            for who, person in enumerate(PEOPLE):
                mask = (r.column("view") == view) & (r.column("who") == who)
                rows.append([name, clip.removeprefix("Demo_MultiPerson_").removesuffix(".mp4"), person]
                            + summary(r, mask))
    print(table(["variant", "view", "person"] + cells, rows))
    print("\nPer joint group, every variant's own labels: median / box, % < 0.05, % < 0.1\n")
    rows = []
    for group, joints in GROUPS.items():
        row = [f"{group} ({', '.join(COCO_NAMES[j] for j in joints[:2])}{', ...' if len(joints) > 2 else ''})"]
        for r in results.values():
            c = summary(r, np.isin(r.column("joint"), joints))
            row.append(f"{c[3]}, {c[4]}, {c[5]}")
        rows.append(row)
    print(table(["group"] + list(results), rows))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=footage.DATA,
                        help="holds clips/, teacher/ and packages/ as teacher.py makes them")
    parser.add_argument("--runs", type=Path, help="where posepipe's runs go (default: DATA/multiview)")
    parser.add_argument("--posepipe", type=Path, default=REPO / ".build/release/posepipe")
    parser.add_argument("--pipeline", type=Path, help="a pipeline folder to run instead of Pipelines/blazepose "
                        "(with its own --runs folder; the teacher's label files are then not read)")
    parser.add_argument("--fresh", action="store_true", help="run the teacher's runs again instead of reading "
                        "its label files")
    parser.add_argument("--distortion-scale", type=float, help="multiply the file's distortion coefficients by "
                        "this instead of 1/64 (to check the reading: 0 ignores distortion, 1 takes them as read)")
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS), choices=list(VARIANTS))
    args = parser.parse_args()
    args.runs = args.runs or args.data / "multiview"
    cameras = read_cameras(args.data, args.distortion_scale)
    results = {name: measure(cameras, variant_frames(args, VARIANTS[name])) for name in args.variants}
    sightings = ", ".join(f"cam0{seen + 1} in cam0{viewer + 1} {d:.1f} px"
                          for (seen, viewer), d in lens_offsets(cameras).items())
    print(f"Calibration check without labels: camera centres project this far from their lens as seen: {sightings}")
    residuals = np.concatenate([r.residuals for r in results.values()])
    print(f"Calibration check with labels: keypoints clear in all 4 views, triangulated from all 4, reproject "
          f"within median {np.median(residuals):.2f} px, p90 {np.percentile(residuals, 90):.2f} px "
          f"({len(residuals)} observations, every variant)")
    report(results)


if __name__ == "__main__":
    main()
