#!/usr/bin/env python3
"""The README's scale-out commands, run for real (called by Scripts/slurm/test.sh).

    scaleout_test.py prepare WORK      six clips cut from the fixtures, and the one-machine run of them
    scaleout_test.py parallel WORK     the README's two GNU parallel commands
    scaleout_test.py kubernetes WORK   the README's indexed Job: its pod command for every index
    scaleout_test.py slurm WORK        the README's job-array script under a real Slurm (inside cluster.sh)

Each check prints `ok NAME` or `FAIL NAME: why`; the exit code is the number of failures (at most 63).
Every output of every run must be byte-identical to the one-machine run in WORK/reference.
"""
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
ARRAY_SCRIPT = ROOT / "Scripts/slurm/posepipe-array.sh"
FIXTURES = ROOT / "Fixtures"
POSEPIPE = os.environ.get("POSEPIPE", str(ROOT / ".build/debug/posepipe"))

# name, fixture, start (s), frame rate, frames, scale. Three shards: a d, b e, c f. The first clip of
# each shard is the one a test stops mid-way, so it is longer; at 10 fps the half second offline
# smoothing holds back is 5 frames, and lines appear early. Three sources, three containers.
CLIPS = [
    ("a-walk.mp4", "vtest_pedestrians.mp4", 0.0, 10, 20, "384:288"),
    ("b-sprint.mp4", "sports2d_demo.mp4", 0.5, 10, 20, "-2:360"),
    ("c-sprint.mkv", "sports2d_demo.mp4", 4.0, 10, 20, "-2:360"),
    ("d-walk.mkv", "vtest_pedestrians.mp4", 4.0, 10, 8, "384:288"),
    ("e-studio.mov", "pose2sim_multiperson_cam02.mp4", 0.0, 20, 8, "-2:480"),
    ("f-studio.mp4", "pose2sim_multiperson_cam02.mp4", 0.5, 20, 8, "-2:480"),
]
NAMES = sorted(name.encode() for name, *_ in CLIPS)
NAMES = [name.decode() for name in NAMES]
# GNU parallel and the Kubernetes Job run over the three short ones (their commands are checked, not
# the scheduling, which the Slurm part does).
FEW = NAMES[3:]
SHARDS = 3

failures = []


def check(name, condition, detail=""):
    if condition:
        print(f"ok {name}", flush=True)
    else:
        failures.append(name)
        print(f"FAIL {name}: {detail}", flush=True)
    return condition


def run(args, **kwargs):
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    return subprocess.run([str(a) for a in args], **kwargs)


def wait_for(predicate, seconds, step=0.02):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def lines_in(path):
    try:
        return Path(path).read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def partial(tracks, clip):
    return Path(tracks) / f".{clip}.jsonl.partial"


# --- what every run must leave --------------------------------------------------------------

def without_source(data):
    """A track file with its header's `source` (the clip's path as given) taken out."""
    header, rest = data.split(b"\n", 1)
    fields = json.loads(header)
    fields.pop("source", None)
    return json.dumps(fields, sort_keys=True).encode() + b"\n" + rest


def same_as_reference(work, tracks, source_differs=False, clips=NAMES):
    """Names of outputs missing or differing from the one-machine run; extra files count too.
    With `source_differs`, the runs named the clips by another path: the header's `source` may differ."""
    reference, tracks = Path(work) / "reference", Path(tracks)
    problems = []
    for clip in clips:
        want, got = reference / f"{clip}.jsonl", tracks / f"{clip}.jsonl"
        if not got.exists():
            problems.append(f"{clip}: no output")
            continue
        same = (without_source(got.read_bytes()) == without_source(want.read_bytes()) if source_differs
                else got.read_bytes() == want.read_bytes())
        if not same:
            problems.append(f"{clip}: differs from the one-machine run")
    extra = sorted(p.name for p in tracks.iterdir() if p.name not in {f"{c}.jsonl" for c in clips})
    if extra:
        problems.append(f"left over: {extra}")
    return problems


def complete_lines_only(path):
    """Why the partial file is not a prefix of whole JSON lines with frames 0, 1, 2…; '' when it is."""
    data = Path(path).read_bytes()
    if not data.endswith(b"\n"):
        return "its last line is cut"
    lines = data.decode().splitlines()
    try:
        records = [json.loads(line) for line in lines]
    except json.JSONDecodeError as error:
        return f"a line is not JSON: {error}"
    frames = [r["frame"] for r in records[1:]]
    if frames != list(range(len(frames))):
        return f"frames {frames} do not run from 0 without a gap"
    return ""


def reports(tracks):
    folder = Path(f"{tracks}.reports")
    return {p.name: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))} if folder.exists() else {}


def done_counts(tracks):
    counts = {clip: 0 for clip in NAMES}
    for report in reports(tracks).values():
        for entry in report["clips"]:
            if entry["status"] == "done":
                counts[entry["clip"]] += 1
    return counts


def status(work, tracks):
    result = run([POSEPIPE, "status", Path(work) / "clips", "-o", tracks, "--report-dir", f"{tracks}.reports", "--json"])
    return json.loads(result.stdout) if result.returncode == 0 else {"error": result.stderr}


def check_finished(name, work, tracks):
    problems = same_as_reference(work, tracks)
    check(f"{name}: every output byte-identical to the one-machine run", not problems, problems)
    counts = done_counts(tracks)
    check(f"{name}: every clip done exactly once in the reports", set(counts.values()) == {1}, counts)
    view = status(work, tracks)
    check(f"{name}: posepipe status says complete, per shard too",
          view.get("complete") is True and [s["counts"]["done"] for s in view.get("shards", [])] == [2, 2, 2], view)


# --- prepare ---------------------------------------------------------------------------------

def prepare(work):
    clips = Path(work) / "clips"
    clips.mkdir(parents=True, exist_ok=True)
    for name, fixture, start, rate, frames, scale in CLIPS:
        run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", start, "-i", FIXTURES / fixture, "-an",
             "-vf", f"fps={rate},scale={scale}", "-frames:v", frames, "-c:v", "libx264", "-preset", "ultrafast",
             "-pix_fmt", "yuv420p", clips / name], check=True)
    few = Path(work) / "few"
    few.mkdir()
    for name in FEW:
        (few / name).symlink_to(clips / name)
    began = time.monotonic()
    one = run([POSEPIPE, clips, "-o", Path(work) / "reference", "--quiet"])
    check("one-machine run of the six clips", one.returncode == 0, one.stderr)
    print(f"# one-machine run: {time.monotonic() - began:.1f} s", flush=True)


# --- GNU parallel ----------------------------------------------------------------------------

def readme_block_after(marker):
    text = README.read_text()
    start = text.index(marker)
    fence = text.index("```", start)
    body_start = text.index("\n", fence) + 1
    return text[body_start:text.index("```", body_start)]


def parallel(work):
    block = readme_block_after("GNU parallel, on this machine")
    local, remote = [line for line in block.splitlines() if line.startswith("parallel ")]
    # The README's first command as it is, from a folder holding clips/.
    folder = Path(work) / "parallel-local"
    folder.mkdir()
    (folder / "clips").symlink_to(Path(work) / "few")
    result = run(["bash", "-c", local], cwd=folder)
    check("GNU parallel, one machine: exits 0", result.returncode == 0, result.stderr)
    problems = same_as_reference(work, folder / "tracks", source_differs=True, clips=FEW)
    check("GNU parallel, one machine: outputs identical but for the clip's path in the header", not problems, problems)
    # The second, with -S: node1 and node2 are reached through an ssh that runs the command here,
    # as the node's sshd would (this machine has no other), and /shared is the test's folder.
    shared = Path(work) / "parallel-shared"
    shared.mkdir()
    (shared / "clips").symlink_to(Path(work) / "few")
    ssh = Path(work) / "loopback-ssh"
    ssh.write_text('#!/bin/sh\nhost="$1"; shift; [ "$1" = -- ] && shift\necho "$host" >> "$(dirname "$0")/ssh-hosts"\nexec sh -c "$*"\n')
    ssh.chmod(0o755)
    env = dict(os.environ, PARALLEL_SSH=str(ssh))
    result = run(["bash", "-c", remote.replace("/shared", str(shared))], env=env)
    check("GNU parallel, -S node1,node2: exits 0", result.returncode == 0, result.stderr)
    hosts = (Path(work) / "ssh-hosts").read_text().split()
    check("GNU parallel, -S node1,node2: 16 shards over both nodes",
          len(hosts) == 16 and set(hosts) == {"node1", "node2"}, hosts)
    problems = same_as_reference(work, shared / "tracks", source_differs=True, clips=FEW)
    check("GNU parallel, -S node1,node2: outputs identical but for the clip's path in the header", not problems, problems)


# --- Kubernetes --------------------------------------------------------------------------------

def kubernetes(work):
    block = readme_block_after("A Kubernetes indexed Job")
    settings = dict(re.findall(r"^\s*(completions|parallelism|completionMode|restartPolicy): (\S+)$", block, re.M))
    command = json.loads(re.search(r"^\s*command: (\[.*\])$", block, re.M).group(1))
    count = int(settings["completions"])
    shard = re.search(r"--shard \$\{JOB_COMPLETION_INDEX\}/(\d+)", command[2])
    check("Kubernetes Job: indexed, and its shard count is its completions",
          settings.get("completionMode") == "Indexed" and shard and int(shard.group(1)) == count, settings)
    # Each pod's command, as the kubelet starts it, with the volume mounted at the test's folder.
    data = Path(work) / "kubernetes"
    data.mkdir()
    (data / "clips").symlink_to(Path(work) / "few")
    pod = [c.replace("/data", str(data)) for c in command]
    # Two at a time: this machine has two cores (the Job's parallelism is for a cluster).
    with ThreadPoolExecutor(2) as pool:
        codes = list(pool.map(lambda index: run(pod, env=dict(os.environ, JOB_COMPLETION_INDEX=str(index))).returncode,
                              range(count)))
    check(f"Kubernetes Job: all {count} pods' commands exit 0", codes == [0] * count, codes)
    problems = same_as_reference(work, data / "tracks", source_differs=True, clips=FEW)
    check("Kubernetes Job: outputs identical but for the clip's path in the header", not problems, problems)


# --- Slurm ---------------------------------------------------------------------------------------

def readme_shows_the_array_script():
    script = ARRAY_SCRIPT.read_text()
    return f"```bash\n{script}```" in README.read_text()


def sbatch(work, tracks, *options):
    result = run(["sbatch", "--parsable", "-D", work, "-o", Path(work) / "logs/%A_%a.out", *options,
                  ARRAY_SCRIPT, Path(work) / "clips", tracks, SHARDS])
    if result.returncode != 0:
        raise RuntimeError(f"sbatch failed: {result.stderr}")
    return result.stdout.strip().split(";")[0]


def tasks(job):
    """Task id → its fields from `scontrol show job` (finished tasks are shown for MinJobAge)."""
    result = run(["scontrol", "show", "job", "-o", job])
    found = {}
    for line in result.stdout.splitlines():
        fields = dict(re.findall(r"(\w+)=(\S*)", line))
        if "ArrayTaskId" in fields and fields["ArrayTaskId"].isdigit():
            found[int(fields["ArrayTaskId"])] = fields
    return found


def task_state(job, task):
    return tasks(job).get(task, {}).get("JobState")


def wait_gone(*jobs, seconds=150):
    return wait_for(lambda: all(run(["squeue", "-h", "-j", job]).stdout.strip() == "" for job in jobs), seconds, 0.25)


def threads_of_running(tracks, shard):
    """--threads of the posepipe process running `shard` into `tracks`, read from /proc."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        words = [a.decode(errors="replace") for a in args]
        if words and words[0].endswith("posepipe") and str(tracks) in words and f"{shard}/{SHARDS}" in words:
            return int(words[words.index("--threads") + 1])
    return None


def check_stopped_clip(name, work, tracks, clip, job, task):
    """A stopped task left the clip's complete lines in an unlocked partial, and said so."""
    path = partial(tracks, clip)
    problem = complete_lines_only(path) if path.exists() else "no partial file"
    check(f"{name}: {clip}'s .partial holds only complete lines", not problem, problem)
    view = status(work, tracks)
    states = {c["clip"]: c for c in view.get("clips", [])}
    seen = states.get(clip, {})
    check(f"{name}: posepipe status shows {clip} left with its partial's frames",
          seen.get("state") == "left" and seen.get("frames", 0) >= 1 and seen.get("frames") == lines_in(path) - 1, seen)
    report = reports(tracks).get(f"{job}_{task}.json", {})
    entry = next((c for c in report.get("clips", []) if c["clip"] == clip), {})
    check(f"{name}: the task's report says {clip} was interrupted", entry.get("status") == "interrupted", report)


def slurm_array(work):
    tracks = Path(work) / "array"
    job = sbatch(work, tracks, "--array=0-2", "--cpus-per-task=1")
    check("array: finishes", wait_gone(job))
    states = {k: (v["JobState"], v["ExitCode"]) for k, v in tasks(job).items()}
    check("array: three tasks, each COMPLETED with exit 0", states == {k: ("COMPLETED", "0:0") for k in range(3)}, states)
    check_finished("array", work, tracks)


def slurm_cancel_and_time_limit(work):
    """Task 1 is cancelled mid-clip and resubmitted; task 2 gets the time limit's warning signal."""
    tracks = Path(work) / "cancel"
    job = sbatch(work, tracks, "--array=0-2", "--cpus-per-task=1")
    first_of_1, first_of_2 = NAMES[1], NAMES[2]
    if not check("cancel: task 1 writes its first clip", wait_for(lambda: lines_in(partial(tracks, first_of_1)) >= 2, 90)):
        return
    threads = threads_of_running(tracks, 1)
    check("cancel: --cpus-per-task=1 runs posepipe with --threads 1", threads == 1, threads)
    run(["scancel", f"{job}_1"])
    check("cancel: task 1 is CANCELLED", wait_for(lambda: task_state(job, 1) == "CANCELLED"
                                                   and run(["squeue", "-h", "-j", f"{job}_1"]).stdout.strip() == "", 60, 0.1))
    check_stopped_clip("cancel", work, tracks, first_of_1, job, 1)

    if check("time limit: task 2 writes its first clip", wait_for(lambda: lines_in(partial(tracks, first_of_2)) >= 2, 90)):
        # What --signal=B:USR1@300 sends the batch shell 300 s before the time limit.
        run(["scancel", "--batch", "--signal=USR1", f"{job}_2"])
        requeued = wait_for(lambda: tasks(job).get(2, {}).get("Restarts") == "1" and task_state(job, 2) == "PENDING", 60, 0.1)
        check("time limit: the script stops posepipe and requeues task 2", requeued, tasks(job).get(2))
        if requeued:
            check_stopped_clip("time limit", work, tracks, first_of_2, job, 2)

    again = sbatch(work, tracks, "--array=1", "--cpus-per-task=2")
    threads = wait_for(lambda: threads_of_running(tracks, 1), 60, 0.05)
    check("cancel: the resubmitted task runs with --cpus-per-task=2 as --threads 2", threads == 2, threads)
    check("cancel: the resubmitted task and the requeued one finish", wait_gone(job, again))
    final = {k: (v["JobState"], v["Restarts"]) for k, v in tasks(job).items()}
    check("cancel: tasks 0 and 2 COMPLETED, task 2 after one requeue",
          final.get(0, ("",))[0] == "COMPLETED" and final.get(2) == ("COMPLETED", "1"), final)
    check("cancel: the resubmitted task COMPLETED", task_state(again, 1) == "COMPLETED", tasks(again))
    check_finished("cancel and time limit", work, tracks)


def slurm_preemption(work):
    """A job in the higher-priority partition takes both CPUs: Slurm SIGTERMs the running tasks and requeues them."""
    tracks = Path(work) / "preempt"
    job = sbatch(work, tracks, "--array=0-2", "--cpus-per-task=1")
    first_of_0 = NAMES[0]
    if not check("preemption: task 0 writes its first clip", wait_for(lambda: lines_in(partial(tracks, first_of_0)) >= 2, 90)):
        return
    urgent = run(["sbatch", "--parsable", "-p", "urgent", "-c", "2", "-o", "/dev/null", "--wrap", "sleep 1"]).stdout.strip()
    requeued = wait_for(lambda: tasks(job).get(0, {}).get("Restarts") == "1" and task_state(job, 0) == "PENDING", 60, 0.1)
    check("preemption: task 0 is preempted and requeued", requeued, tasks(job).get(0))
    if requeued:
        check_stopped_clip("preemption", work, tracks, first_of_0, job, 0)
        for stale in Path(tracks).glob(".*.partial"):
            problem = complete_lines_only(stale)
            check(f"preemption: {stale.name} holds only complete lines", not problem, problem)
    check("preemption: the requeued tasks finish", wait_gone(job, urgent))
    final = {k: v["JobState"] for k, v in tasks(job).items()}
    check("preemption: every task COMPLETED in the end", final == {k: "COMPLETED" for k in range(3)}, final)
    check_finished("preemption", work, tracks)


def slurm_two_arrays(work):
    """The same array submitted twice at once: their tasks 0 run side by side on the same clips."""
    tracks = Path(work) / "twice"
    first = sbatch(work, tracks, "--array=0-2%1", "--cpus-per-task=1")
    second = sbatch(work, tracks, "--array=0-2%1", "--cpus-per-task=1")
    check("two arrays: both finish", wait_gone(first, second))
    problems = same_as_reference(work, tracks)
    check("two arrays: every output byte-identical to the one-machine run", not problems, problems)
    counts = done_counts(tracks)
    check("two arrays: no clip written twice (each done once in six reports)",
          set(counts.values()) == {1} and len(reports(tracks)) == 6, (counts, sorted(reports(tracks))))
    busy = sum(1 for r in reports(tracks).values() for c in r["clips"] if c["status"] == "busy")
    check("two arrays: they met (a clip found busy, left to the other)", busy >= 1, busy)
    view = status(work, tracks)
    check("two arrays: posepipe status says complete", view.get("complete") is True, view)


def slurm(work):
    check("README shows Scripts/slurm/posepipe-array.sh as it is", readme_shows_the_array_script())
    (Path(work) / "logs").mkdir(exist_ok=True)
    version = run(["sinfo", "--version"]).stdout.strip()
    print(f"# {version}", flush=True)
    for scenario in (slurm_array, slurm_cancel_and_time_limit, slurm_preemption, slurm_two_arrays):
        began = time.monotonic()
        try:
            scenario(work)
        except Exception as error:  # one scenario's surprise must not hide the others' results
            check(scenario.__name__, False, repr(error))
        print(f"# {scenario.__name__}: {time.monotonic() - began:.1f} s", flush=True)


if __name__ == "__main__":
    part, work = sys.argv[1], sys.argv[2]
    {"prepare": prepare, "parallel": parallel, "kubernetes": kubernetes, "slurm": slurm}[part](work)
    sys.exit(min(len(failures), 63))
