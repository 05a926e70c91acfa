"""Seeded, resumable training of one family: `python -m seedtrain.train FAMILY [--full] [--minutes M]`.

The run's state lives in .runs-seedtrain/FAMILY[-full]/checkpoint.pt, written every few minutes and when the
time budget ends; running the same command again continues from it, or, on a fresh clone, from the run parked in
Scripts/training/parked/ (parked.py). Batches depend only on (seed, step), and
the checkpoint carries the optimiser, the torch RNG and the validation history, so a resumed run follows the
same path as an uninterrupted one.

Every `validate_every` steps the model is measured on the validation view (validate.py); the best model so far
is kept in best.pt, which export.py exports. Training stops at the end of the schedule or when `patience`
validations in a row have not improved on the best by `min_gain`: the validation view, not the held-out views,
decides.
"""
import argparse
import importlib
import json
import os
import time
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import torch

from . import parked, teacher
from .family import CropSampler, Prefetcher
from .validate import Validator

FAMILIES = ("hrnet", "hourglass", "mspn", "tfpose", "mca")
RUNS = Path(os.environ.get("SEEDTRAIN_RUNS", teacher.REPO / ".runs-seedtrain"))
PATIENCE = 8            # validations without improvement before training stops
MIN_GAIN = 0.002        # the improvement on the validation score that counts


def finished(step, total, since_best):
    """Whether a run has nothing left to train: its schedule ran out or its validation stopped it."""
    return step >= total or since_best >= PATIENCE


def load_family(name):
    return importlib.import_module(f"seedtrain.{name}").FAMILY


def run_dir(name, full):
    return RUNS / (name + ("-full" if full else ""))


def save(path, state):
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def footage_of(cache):
    """The clips the cache was cut from, by split (cache.sources): a run continues only on the footage it began on."""
    return {split: np.load(cache / f"{split}.npz").get("sources", np.array([])).tolist()
            for split in ("train", "validation") if (cache / f"{split}.npz").exists()}


def set_aside(directory):
    """Renames a run folder out of the way (its checkpoints stay for reading) and returns the new name."""
    n = 1
    while directory.with_name(f"{directory.name}-other-footage-{n}").exists():
        n += 1
    target = directory.with_name(f"{directory.name}-other-footage-{n}")
    directory.rename(target)
    return target


def bf16_supported():
    """bfloat16 autocast pays only where the CPU computes in it (AVX-512 BF16 or AMX)."""
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    return "avx512_bf16" in flags or "amx_bf16" in flags


class Run:
    """One family's training state: model, optimiser, step, validation history."""

    def __init__(self, name, full, seed, threads, steps, cache, device="cpu"):
        torch.set_num_threads(threads)
        self.name, self.full, self.seed, self.device = name, full, seed, device
        self.family = load_family(name).configured(full)
        schedule = self.family.schedule(full)
        self.total = steps or schedule.steps
        self.batch, self.base_lr, self.validate_every = schedule.batch, schedule.lr, schedule.validate_every
        self.schedule = schedule
        self.directory = run_dir(name, full)
        self.directory.mkdir(parents=True, exist_ok=True)
        torch.manual_seed(seed)
        # Channels-last (NHWC) is the layout oneDNN's convolutions want: the same arithmetic, a step in half the
        # time for the hourglasses (measured here, batch 16, 2 threads: MCA 2.09 -> 1.00 s, Hourglass 1.31 -> 0.84,
        # MSPN 0.71 -> 0.45, HRNet 0.47 -> 0.43, TFPose 0.30 -> 0.25), where default NCHW tensors are reordered
        # around every convolution.
        self.model = self.family.build(full).to(device, memory_format=torch.channels_last)
        self.optimiser = self.family.optimiser(self.model.parameters(), self.base_lr, full)
        self.step, self.seconds, self.best, self.since_best, self.history = 0, 0.0, None, 0, []
        self.cache = cache
        self.footage = footage_of(cache)
        self.validator = Validator(cache, self.family) if (cache / "validation.npz").exists() else None

    @property
    def checkpoint(self):
        return self.directory / "checkpoint.pt"

    def resume(self):
        shapes = {k: tuple(v.shape) for k, v in self.model.state_dict().items()}
        state = None
        if self.checkpoint.exists():
            state = torch.load(self.checkpoint, map_location=self.device, weights_only=False)
        if state is not None and state.get("footage") != self.footage:
            moved = set_aside(self.directory)
            print(f"{self.name}: the run in {self.directory} was trained on other footage; moved to {moved.name}, "
                  "starting afresh", flush=True)
            self.directory.mkdir(parents=True)
            state = None
        if not self.full and parked.unpark(self.name, self.directory, self.seed, self.total, shapes=shapes,
                                           footage=self.footage):
            print(f"{self.name}: resuming the parked run (Scripts/training/parked/{self.name})", flush=True)
            state = torch.load(self.checkpoint, map_location=self.device, weights_only=False)
        if state is None:
            return
        assert state["seed"] == self.seed and state["total"] == self.total, "checkpoint is from another configuration"
        self.model.load_state_dict(state["model"])
        if "optimiser" in state:     # a finished run is parked without it (parked.py): nothing steps again
            self.optimiser.load_state_dict(state["optimiser"])
        torch.set_rng_state(state["torch_rng"])
        self.step, self.seconds = state["step"], state["seconds"]
        self.best, self.since_best, self.history = state.get("best"), state.get("since_best", 0), state.get("history", [])
        print(f"{self.name}: resuming at step {self.step}/{self.total} ({self.seconds / 60:.1f} min trained)", flush=True)

    def state(self, started):
        return {"model": self.model.state_dict(), "optimiser": self.optimiser.state_dict(),
                "torch_rng": torch.get_rng_state(), "step": self.step, "total": self.total, "seed": self.seed,
                "batch": self.batch, "lr": self.base_lr, "full": self.full, "optimiser_name": type(self.optimiser).__name__,
                "seconds": self.seconds + time.time() - started, "crops": self.crops, "best": self.best,
                "since_best": self.since_best, "history": self.history, "torch": torch.__version__, "bf16": self.bf16,
                "footage": self.footage}

    @property
    def stopped_early(self):
        return self.since_best >= PATIENCE

    @property
    def done(self):
        return finished(self.step, self.total, self.since_best)

    def validate(self, started):
        result = self.validator.measure(self.model) | {"step": self.step}
        self.history.append(result)
        if self.best is None or result["score"] > self.best["score"] + MIN_GAIN:
            self.best, self.since_best = result, 0
            save(self.directory / "best.pt", {"model": self.model.state_dict(), "step": self.step,
                                               "validation": result, "total": self.total, "seed": self.seed,
                                               "batch": self.batch, "lr": self.base_lr,
                                               "seconds": self.seconds + time.time() - started, "crops": self.crops,
                                               "optimiser_name": type(self.optimiser).__name__,
                                               "torch": torch.__version__, "footage": self.footage})
        else:
            self.since_best += 1
        print(f"{self.name}: validation at step {self.step}: PCK@0.05 {result['pck05']:.3f} PCK@0.1 "
              f"{result['pck10']:.3f} without-person rejected {result['rejected']} "
              f"(best {self.best['score']:.3f} at {self.best['step']}, {self.since_best} since)", flush=True)

    def train(self, minutes=None, bf16=False, checkpoint_every=180.0):
        self.bf16 = bf16
        sampler = CropSampler(self.cache, self.family, self.seed, self.batch)
        self.crops = len(sampler)
        if self.done:
            print(f"{self.name}: already trained (step {self.step}/{self.total})", flush=True)
            return
        prefetch = Prefetcher(sampler, self.step)
        log = open(self.directory / "log.tsv", "a")
        started = last_save = time.time()
        autocast = torch.autocast("cpu", dtype=torch.bfloat16) if bf16 else nullcontext()
        self.model.train()
        try:
            while not self.done:
                images, targets = prefetch.next()
                lr = self.schedule.lr_at(self.step, self.total)
                for group in self.optimiser.param_groups:
                    group["lr"] = lr
                with autocast:
                    loss = self.family.loss(self.model(images.to(self.device, memory_format=torch.channels_last)),
                                            {k: v.to(self.device) for k, v in targets.items()})
                self.optimiser.zero_grad()
                loss.backward()
                if getattr(self.family, "clip_grad", None):
                    torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.family.clip_grad)
                self.optimiser.step()
                self.step += 1
                now = time.time()
                log.write(f"{self.step}\t{loss.item():.6f}\t{lr:.6g}\t{self.seconds + now - started:.1f}\n")
                if self.step % 50 == 0:
                    log.flush()
                    print(f"{self.name}: step {self.step}/{self.total} loss {loss.item():.4f} lr {lr:.2e} "
                          f"{(self.seconds + now - started) / 60:.1f} min", flush=True)
                if self.validator and (self.step % self.validate_every == 0 or self.step == self.total):
                    self.validate(started)
                if now - last_save > checkpoint_every or self.done:
                    save(self.checkpoint, self.state(started))
                    last_save = now
                if minutes is not None and now - started > minutes * 60:
                    save(self.checkpoint, self.state(started))
                    print(f"{self.name}: time budget spent at step {self.step}/{self.total}; rerun to continue", flush=True)
                    break
        finally:
            prefetch.close()
            log.close()
        if self.stopped_early:
            print(f"{self.name}: stopped at step {self.step}: {PATIENCE} validations without improvement; "
                  f"best at step {self.best['step']}", flush=True)


def train(name, full=False, minutes=None, seed=0, threads=2, steps=None, bf16=None):
    device = "cuda" if full and torch.cuda.is_available() else "cpu"
    cache = teacher.prepare()
    run = Run(name, full, seed, threads, steps, cache, device)
    run.resume()
    run.train(minutes, bf16_supported() if bf16 is None else bf16)
    (run.directory / "validation.json").write_text(json.dumps({"best": run.best, "history": run.history}, indent=1))
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("family", choices=FAMILIES)
    parser.add_argument("--full", action="store_true", help="the paper's configuration (for a GPU)")
    parser.add_argument("--minutes", type=float, help="stop (with a checkpoint) after this many minutes")
    parser.add_argument("--steps", type=int, help="override the schedule's step count")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--bf16", choices=("auto", "on", "off"), default="off",
                        help="bfloat16 autocast (auto: where the CPU computes in bfloat16); off by default: on this "
                             "machine's AVX-512 BF16 it did not pay (HRNet, batch 16: 3.2 s a step with, 2.9 s without)")
    args = parser.parse_args()
    bf16 = {"auto": None, "on": True, "off": False}[args.bf16]
    train(args.family, args.full, args.minutes, args.seed, args.threads, args.steps, bf16)


if __name__ == "__main__":
    main()
