"""Seeded, resumable training of one family: `python -m seedtrain.train FAMILY [--full] [--minutes M]`.

The run's state lives in .runs-seedtrain/FAMILY[-full]/checkpoint.pt, written every few minutes and when
the time budget ends; running the same command again continues from it. Batches depend only on
(seed, step), and the checkpoint carries the optimiser and the torch RNG, so a resumed run follows the
same path as an uninterrupted one.
"""
import argparse
import importlib
import json
import os
import time
from pathlib import Path

import torch

from . import teacher
from .family import CropSampler, cosine_lr

FAMILIES = ("hrnet", "hourglass", "mspn", "tfpose", "mca")
RUNS = Path(os.environ.get("SEEDTRAIN_RUNS", teacher.REPO / ".runs-seedtrain"))


def load_family(name):
    return importlib.import_module(f"seedtrain.{name}").FAMILY


def run_dir(name, full):
    return RUNS / (name + ("-full" if full else ""))


def save(path, state):
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def train(name, full=False, minutes=None, seed=0, threads=2, steps=None, checkpoint_every=180.0):
    torch.set_num_threads(threads)
    family = load_family(name)
    total, batch, base_lr = family.full_schedule if full else family.small_schedule
    total = steps or total
    device = "cuda" if full and torch.cuda.is_available() else "cpu"
    directory = run_dir(name, full)
    directory.mkdir(parents=True, exist_ok=True)
    checkpoint = directory / "checkpoint.pt"

    torch.manual_seed(seed)
    model = family.build(full).to(device)
    optimiser = torch.optim.Adam(model.parameters(), lr=base_lr)
    step, trained_seconds = 0, 0.0
    if checkpoint.exists():
        state = torch.load(checkpoint, map_location=device)
        assert state["seed"] == seed and state["total"] == total, "checkpoint is from another configuration"
        model.load_state_dict(state["model"])
        optimiser.load_state_dict(state["optimiser"])
        torch.set_rng_state(state["torch_rng"])
        step, trained_seconds = state["step"], state["seconds"]
        print(f"{name}: resuming at step {step}/{total} ({trained_seconds / 60:.1f} min trained)", flush=True)
    if step >= total:
        print(f"{name}: already trained ({total} steps)", flush=True)
        return checkpoint

    cache = teacher.prepare()
    sampler = CropSampler(cache, family, seed, batch)
    log = open(directory / "log.tsv", "a")
    started = time.time()
    last_save = started
    model.train()

    def state():
        return {"model": model.state_dict(), "optimiser": optimiser.state_dict(), "torch_rng": torch.get_rng_state(),
                "step": step, "total": total, "seed": seed, "batch": batch, "lr": base_lr, "full": full,
                "seconds": trained_seconds + time.time() - started, "crops": len(sampler)}

    while step < total:
        images, targets = sampler.sample(step)
        images = images.to(device)
        targets = {k: v.to(device) for k, v in targets.items()}
        lr = cosine_lr(step, total, base_lr)
        for group in optimiser.param_groups:
            group["lr"] = lr
        loss = family.loss(model(images), targets)
        optimiser.zero_grad()
        loss.backward()
        if getattr(family, "clip_grad", None):
            torch.nn.utils.clip_grad_norm_(model.parameters(), family.clip_grad)
        optimiser.step()
        step += 1
        now = time.time()
        log.write(f"{step}\t{loss.item():.6f}\t{lr:.6g}\t{trained_seconds + now - started:.1f}\n")
        if step % 20 == 0:
            log.flush()
            print(f"{name}: step {step}/{total} loss {loss.item():.4f} lr {lr:.2e} "
                  f"{(trained_seconds + now - started) / 60:.1f} min", flush=True)
        if now - last_save > checkpoint_every or step == total:
            save(checkpoint, state())
            last_save = now
        if minutes is not None and now - started > minutes * 60:
            save(checkpoint, state())
            print(f"{name}: time budget spent at step {step}/{total}; rerun to continue", flush=True)
            break
    log.close()
    return checkpoint


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("family", choices=FAMILIES)
    parser.add_argument("--full", action="store_true", help="the paper's configuration (for a GPU)")
    parser.add_argument("--minutes", type=float, help="stop (with a checkpoint) after this many minutes")
    parser.add_argument("--steps", type=int, help="override the schedule's step count")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    train(args.family, args.full, args.minutes, args.seed, args.threads, args.steps)


if __name__ == "__main__":
    main()
