"""Scripts/bench/validation_view.py's copies of a pipeline are pipelines posepipe runs, with the score asked for."""
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "Scripts/bench"))

import validation_view  # noqa: E402


def people(posepipe, clip, pipeline, out):
    subprocess.run([str(posepipe), str(clip), "--pipeline", str(pipeline), "-o", str(out), "--quiet"], check=True)
    return [len(json.loads(line)["persons"]) for line in out.read_text().splitlines()[1:]]


def test_a_copy_with_another_clear_score_runs_and_gates_by_it(posepipe, tmp_path):
    clip = tmp_path / "three-frames.mkv"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(REPO / "Fixtures/mmpose/person.mkv"), "-frames:v", "3",
                    "-c:v", "ffv1", str(clip)], check=True)
    shipped = people(posepipe, clip, "hrnet", tmp_path / "shipped.jsonl")
    same = people(posepipe, clip, validation_view.with_clear_score("hrnet", 0.3, str(tmp_path)), tmp_path / "same.jsonl")
    # No heatmap peak reaches 1.0 on a quarter of the joints: at that score nobody is anybody.
    strict = people(posepipe, clip, validation_view.with_clear_score("hrnet", 1.0, str(tmp_path)),
                    tmp_path / "strict.jsonl")
    assert shipped == same and all(n >= 1 for n in shipped)
    assert strict == [0, 0, 0]
