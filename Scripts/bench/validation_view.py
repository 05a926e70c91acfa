#!/usr/bin/env python3
"""A pipeline's settings chosen on the validation view, never on the held-out views.

Runs `posepipe VIEW --pipeline NAME` for each setting asked and compares it end to end with `posepipe VIEW` (the
default pipeline, the families' teacher), as end_to_end.py does: the flip test off and on, and each `clear_score`
given (a copy of the pipeline's description with that score). VIEW is the clip seed training sets aside to choose
checkpoints (seedtrain/footage.py), which no family trained on. Prints a Markdown table:
PCK@0.05 and PCK@0.1 over the default pipeline's clear keypoints, its people left without a partner, and people a
frame (distinct ids).

Usage: validation_view.py POSEPIPE VIEW NAME [CLEAR_SCORE...]
"""
import json
import os
import shutil
import sys
import tempfile

import end_to_end

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def with_clear_score(name, score, scratch):
    """A copy of Pipelines/NAME/pipeline.json whose pose part keeps keypoints scored from `score`; the model is
    referred to where it ships."""
    folder = os.path.join(ROOT, "Pipelines", name)
    description = json.load(open(os.path.join(folder, "pipeline.json")))
    description["pose"]["model"] = os.path.join(folder, description["pose"]["model"])
    description["pose"]["clear_score"] = score
    copy = os.path.join(scratch, f"{name}-clear-{score}")
    os.makedirs(copy, exist_ok=True)
    json.dump(description, open(os.path.join(copy, "pipeline.json"), "w"))
    return copy


def main():
    posepipe, view, name = sys.argv[1], sys.argv[2], sys.argv[3]
    scores = [float(s) for s in sys.argv[4:]]
    scratch = tempfile.mkdtemp(prefix="validation-view-")
    try:
        reference = end_to_end.run(posepipe, view, "blazepose", os.path.join(scratch, "teacher.jsonl"))
        settings = [("flip test off", name, ["--no-flip-test"]), ("flip test on", name, ["--flip-test"])]
        settings += [(f"clear_score {s:g}", with_clear_score(name, s, scratch), []) for s in scores]
        teacher = end_to_end.people(reference)
        print(f"{name} on {os.path.basename(view)}; the default pipeline keeps {teacher['per_frame']:.2f} people a "
              f"frame ({teacher['ids']} ids)\n")
        print("| setting | PCK@0.05 | PCK@0.1 | people without a partner | people a frame (ids) |")
        print("|---|---|---|---|---|")
        for index, (label, pipeline, options) in enumerate(settings):
            candidate = end_to_end.run(posepipe, view, pipeline, os.path.join(scratch, f"{index}.jsonl"), options)
            a, p = end_to_end.agreement(reference, candidate), end_to_end.people(candidate)
            print(f"| {label} | {a['pck05']:.3f} | {a['pck10']:.3f} | {a['unmatched']} | {p['per_frame']:.2f} ({p['ids']}) |")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
