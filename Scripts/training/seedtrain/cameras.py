"""Calibrated pinhole cameras from a Qualisys .qca.txt calibration, projection, and DLT triangulation.

Facts of the format, read in Pose2Sim 0.10.49's `calibration.read_qca`/`calib_qca_fun` (its code is not used):
- intrinsics are in 64ths of a pixel (sensorMaxU = 64 x fov_video.right), focal length and principal point alike;
  the principal point is relative to the sensor, so fov_video's left/top is subtracted; the sensor's coordinates
  put pixel centres on integers (0 .. right), the pixel-centre convention of teacher labels (posepipe's - 0.5);
- `transform`'s x, y, z is the camera's position in mm, and r11..r33 read row by row is the world-to-camera
  rotation into Qualisys' camera axes (y up, looking down -z); a half turn about x gives OpenCV's (y down, z
  forward), so R = diag(1, -1, -1) M and t = -R C;
- the portrait clips need no rotation: fov_video is already 1088 x 1920 and viewrotation is 0;
- distortion is OpenCV's k1, k2, p1, p2 on normalised coordinates after dividing the file's values by 64, as
  Pose2Sim does (radialDistortion3 is 0 here). It is small either way (0.05 px at a corner divided, 3.4 px
  not); the cameras' lenses seen in each other's frames (multiview.LENS_SIGHTINGS) agree with the divided
  reading (2.7 to 4.1 px) better than with the undivided one (4.4 to 6.8 px).
Shapes: V views, J keypoints, [..., 2] pixel (x, y), [..., 3] world (x, y, z) in metres.
"""
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import numpy as np

SUBPIXEL = 64.0
QUALISYS_TO_OPENCV = np.diag([1.0, -1.0, -1.0])


@dataclass(frozen=True)
class Camera:
    name: str
    size: tuple          # (width, height) in pixels
    K: np.ndarray        # [3, 3]
    dist: np.ndarray     # [4] k1, k2, p1, p2 (OpenCV's order)
    R: np.ndarray        # [3, 3] world -> camera, OpenCV axes
    t: np.ndarray        # [3] metres
    focal_mm: float      # the lens' focal length as the file states it

    @property
    def P(self):
        """[3, 4] projection of undistorted pixels."""
        return self.K @ np.hstack([self.R, self.t[:, None]])

    @property
    def centre(self):
        return -self.R.T @ self.t

    def depth(self, X):
        return (X @ self.R.T + self.t)[..., 2]

    def project(self, X):
        """World points [..., 3] -> distorted pixels [..., 2] (what the camera's frames show)."""
        Xc = X @ self.R.T + self.t
        return self._to_pixels(self._distort(Xc[..., :2] / Xc[..., 2:3]))

    def undistort(self, uv, iterations=30):
        """Distorted pixels [..., 2] -> the pixels an ideal pinhole camera would see. Fixed-point inversion of
        the distortion; with these lenses' small coefficients it converges to 1e-12 px in a few steps."""
        fx, fy, cx, cy = self.K[0, 0], self.K[1, 1], self.K[0, 2], self.K[1, 2]
        xd = np.stack([(uv[..., 0] - cx) / fx, (uv[..., 1] - cy) / fy], -1)
        x = xd.copy()
        for _ in range(iterations):
            x = x + (xd - self._distort(x))
        return self._to_pixels(x)

    def _distort(self, x):
        k1, k2, p1, p2 = self.dist
        u, v = x[..., 0], x[..., 1]
        r2 = u * u + v * v
        radial = 1 + k1 * r2 + k2 * r2 * r2
        return np.stack([u * radial + 2 * p1 * u * v + p2 * (r2 + 2 * u * u),
                         v * radial + p1 * (r2 + 2 * v * v) + 2 * p2 * u * v], -1)

    def _to_pixels(self, x):
        return np.stack([self.K[0, 0] * x[..., 0] + self.K[0, 2], self.K[1, 1] * x[..., 1] + self.K[1, 2]], -1)


def read_qca(text, distortion_scale=1.0 / SUBPIXEL):
    """Every active camera of a .qca.txt file, in the file's order."""
    cameras = []
    for node in ET.fromstring(text).find("cameras"):
        if node.get("active", "1") != "1":
            continue
        fov = {k: float(v) for k, v in node.find("fov_video").attrib.items()}
        intrinsic = {k: float(v) for k, v in node.find("intrinsic").attrib.items()}
        transform = {k: float(v) for k, v in node.find("transform").attrib.items()}
        K = np.array([[intrinsic["focalLengthU"] / SUBPIXEL, 0.0, intrinsic["centerPointU"] / SUBPIXEL - fov["left"]],
                      [0.0, intrinsic["focalLengthV"] / SUBPIXEL, intrinsic["centerPointV"] / SUBPIXEL - fov["top"]],
                      [0.0, 0.0, 1.0]])
        dist = distortion_scale * np.array([intrinsic["radialDistortion1"], intrinsic["radialDistortion2"],
                                            intrinsic["tangentalDistortion1"], intrinsic["tangentalDistortion2"]])
        M = np.array([[transform[f"r{i}{j}"] for j in (1, 2, 3)] for i in (1, 2, 3)])
        R = QUALISYS_TO_OPENCV @ M
        position = np.array([transform["x"], transform["y"], transform["z"]]) / 1000.0
        size = (int(fov["right"] - fov["left"]) + 1, int(fov["bottom"] - fov["top"]) + 1)
        cameras.append(Camera(node.get("serial"), size, K, dist, R, -R @ position, intrinsic["focallength"]))
    return cameras


def triangulate(P, uv, seen):
    """DLT. P [V, 3, 4]; uv [..., V, 2] undistorted pixels; seen [..., V] bool. Returns [..., 3], NaN where
    fewer than two views see the point. Each equation row is scaled to unit norm so that no view outweighs
    another for its pixel scale."""
    P = np.asarray(P, dtype=np.float64)
    rows = np.stack([uv[..., 0:1] * P[:, 2] - P[:, 0], uv[..., 1:2] * P[:, 2] - P[:, 1]], -2)  # [..., V, 2, 4]
    rows = rows / np.linalg.norm(rows, axis=-1, keepdims=True)
    rows = rows * seen[..., None, None]
    A = rows.reshape(*rows.shape[:-3], -1, 4)
    _, _, vt = np.linalg.svd(A)
    X = vt[..., -1, :3] / vt[..., -1, 3:4]
    return np.where((seen.sum(-1) >= 2)[..., None], X, np.nan)


def project_undistorted(P, X):
    """X [..., 3] through every P [V, 3, 4] -> [..., V, 2] undistorted pixels."""
    h = np.einsum("vij,...j->...vi", P[:, :, :3], X) + P[:, :, 3]
    return h[..., :2] / h[..., 2:3]
