"""Agreement with the teacher on the validation view, measured on the PyTorch model during training.

The validation view (footage.py: one camera of the training footage, never trained on) chooses the checkpoint
that is exported and decides when training stops; the held-out views (evaluate.py) only report. Each teacher
person is cropped from its box by MMPose's rule, without augmentation, run through the model in eval mode,
decoded by the family's reference decode and compared with the teacher's clear keypoints: error / sqrt(box w·h).
Crops without a person count as rejected when their mean decoded score is below the family's clear_score.
"""
import numpy as np
import torch

from . import crops


class Validator:
    def __init__(self, cache, family, batch=16):
        self.patches = np.load(cache / "validation_patches.npy", mmap_mode="r")
        labels = np.load(cache / "validation.npz")
        self.keypoints, self.clear, self.box_wh = labels["keypoints"], labels["clear"], labels["box_wh"]
        self.person = labels["person"]
        self.family, self.batch = family, batch
        size = self.patches.shape[1]
        self.inputs, self.inverses = [], []
        for i in range(len(self.person)):
            center, scale = crops.box_center_scale([size / 2 - self.box_wh[i][0] / 2, size / 2 - self.box_wh[i][1] / 2,
                                                    *self.box_wh[i]], family.input_w, family.input_h)
            matrix = crops.warp_matrix(center, scale, family.input_w, family.input_h)
            self.inputs.append(crops.warp(np.asarray(self.patches[i]), matrix, family.input_w, family.input_h))
            self.inverses.append(crops.invert_affine(matrix))

    def predictions(self, model):
        """Keypoints [N, K, 2] in patch coordinates and scores [N, K] for every validation crop."""
        was_training = model.training
        model.eval()
        names = self.family.output_names
        points, scores = [], []
        with torch.no_grad():
            for start in range(0, len(self.inputs), self.batch):
                images = self.family.normalise(np.stack(self.inputs[start:start + self.batch]))
                outputs = [o.float().numpy() for o in self.family.export_outputs(model(images))]
                for j in range(len(outputs[0])):
                    kp, sc = self.family.decode({n: o[j] for n, o in zip(names, outputs)})
                    points.append(crops.apply_affine(self.inverses[start + j], kp))
                    scores.append(sc)
        model.train(was_training)
        return np.array(points), np.array(scores)

    def measure(self, model):
        points, scores = self.predictions(model)
        errors = []
        for i in np.flatnonzero(self.person):
            size = np.sqrt(self.box_wh[i][0] * self.box_wh[i][1])
            errors.extend((np.linalg.norm(points[i] - self.keypoints[i], axis=1)[self.clear[i]] / size).tolist())
        e = np.array(errors)
        absent = ~self.person
        clear_score = self.family.clear_score
        result = {"pck05": float((e < 0.05).mean()), "pck10": float((e < 0.1).mean()), "median": float(np.median(e)),
                  "persons": int(self.person.sum()), "without": int(absent.sum()), "clear_score": clear_score,
                  "rejected": float((scores[absent].mean(1) < clear_score).mean()) if absent.any() else None,
                  "kept": float((scores[self.person].mean(1) >= clear_score).mean())}
        result["score"] = (result["pck05"] + result["pck10"]) / 2
        return result
