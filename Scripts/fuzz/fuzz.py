#!/usr/bin/env python3
"""Runs posepipe on mutated and hostile inputs and reports crashes, hangs, invalid outputs and
data loss. Families (each a module beside this one):

  containers    clips in 13 codecs and containers, mutated, from a file and from standard input;
  descriptions  every shipped pipeline's pipeline.json with its parts inline, mutated;
  tracks        real track files, mutated, into export, render --tracks and plot;
  outputs       every command's output path set to links, hard links, pipes, devices, folders…;
  options       every command with options at their extremes.

A case fails as
  crash    killed by a signal, an exit code of 128 or more other than 130/143, a crash trace;
  hang     still running after the per-case timeout;
  invalid  an exit code the README does not list, stderr other than one `posepipe: …` line for an
           error (or the argument parser's usage error for 64), or a success whose output is not
           valid for its kind (tracks with frames from 0, CSV, JSON, SVG as XML, a video or a
           track file with the input's frames);
  loss     a file posepipe must not touch changed (its input, a link's target, another hard link,
           a pipe or a device), a failed command left or changed an output under its final name,
           or a temporary file was left.

Every case has a time limit and an 8 GB address-space limit. Failing cases are kept under
out/fuzz/ with the command that reproduces them. The last line is a summary; the exit code is 1
when any case failed. The same --seed gives the same cases."""

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import containers
import descriptions
import options
import outputs
import tracks
from common import ROOT, Recorder, clip, run

FAMILIES = {"containers": containers, "descriptions": descriptions, "tracks": tracks, "outputs": outputs, "options": options}
DEFAULTS = {"containers": 300, "descriptions": 240, "tracks": 300, "outputs": 176, "options": 150}


class Context:
    """What the families share: the binary, the random source, the work folder, the inputs."""

    def __init__(self, binary, rng, work, timeout, recorder):
        self.binary, self.rng, self.work, self.timeout, self.recorder = binary, rng, work, timeout, recorder

    def make_inputs(self):
        # 3 frames with two people, for every case that runs the models.
        self.small_clip = clip(self.work / "small.mp4", frames=3, size="320:180", start=2)
        self.small_clip_frames = 3
        self.small_tracks = self.work / "small.mp4.jsonl"
        self.track(self.small_clip, self.small_tracks)
        self.clips = self.work / "clips"
        self.clips.mkdir()
        clip(self.clips / "a.mp4", frames=2, size="192:108")
        clip(self.clips / "b.mp4", frames=2, size="192:108", start=4)
        # 24 frames for the track family: long enough that offline smoothing holds some back.
        self.track_clip = clip(self.work / "track.mp4", frames=24, size="320:180", start=1)
        self.track_frames = 24
        self.seed_tracks = self.track(self.track_clip, self.work / "track.mp4.jsonl")
        self.seed_tracks_angles = self.track(self.track_clip, self.work / "track-angles.mp4.jsonl", ["--angles"])
        self.raw_frames = bytes(192 * 144 * 3 * 2)

    def track(self, video, path, extra=()):
        outcome = run(self.binary, [str(video), "-o", str(path), "--quiet", *extra], 600, self.work)
        if outcome.code != 0:
            sys.exit(f"fuzz: cannot make the seed tracks: {outcome.stderr}")
        return path.read_bytes()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    for family, default in DEFAULTS.items():
        parser.add_argument(f"--{family}", type=int, default=default, help=f"{family} cases (default {default})")
    parser.add_argument("--pipelines", type=int, dest="descriptions", help="the old name of --descriptions")
    parser.add_argument("--timeout", type=float, default=30, help="seconds a case may take")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", default=str(ROOT / "out/fuzz"), help="where failing cases are kept")
    arguments = parser.parse_args()

    binary = str(Path(arguments.binary).resolve())
    work = Path(tempfile.mkdtemp(prefix="posepipe-fuzz-"))
    recorder = Recorder(arguments.keep, binary)
    started = time.monotonic()
    try:
        ctx = Context(binary, random.Random(arguments.seed), work, arguments.timeout, recorder)
        ctx.make_inputs()
        for family, module in FAMILIES.items():
            count = getattr(arguments, family)
            if count:
                # A family's cases depend on the seed alone, not on how many cases the others ran.
                ctx.rng = random.Random(f"{arguments.seed}-{family}")
                family_started = time.monotonic()
                module.fuzz(ctx, count)
                print(f"fuzz: {family}: {count} cases in {time.monotonic() - family_started:.0f} s", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for line in recorder.failures:
        print("fuzz: " + line)
    print(recorder.summary(time.monotonic() - started))
    return 1 if recorder.failures else 0


if __name__ == "__main__":
    sys.exit(main())
