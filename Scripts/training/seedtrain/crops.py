"""MMPose's top-down crop rule, in pixel-centre coordinates (pixel i's centre at i, as OpenCV and MMPose).

bbox_xyxy2cs (padding 1.25) -> TopdownAffine._fix_aspect_ratio (to the input's w/h) -> get_warp_matrix
(box centre -> input centre, box width -> input width, optional rotation) -> cv2.warpAffine, bilinear,
zero border. posepipe writes pixel-corner coordinates (pixel i's centre at i + 0.5); callers subtract 0.5
before anything here.
"""
import math

import cv2
import numpy as np

PADDING = 1.25


def box_center_scale(box_xywh, input_w, input_h, padding=PADDING):
    """Centre and aspect-fixed scale (w, h) of an [x, y, w, h] box given in pixel-centre coordinates."""
    x, y, w, h = (float(v) for v in box_xywh)
    center = np.array([x + w * 0.5, y + h * 0.5], dtype=np.float64)
    sw, sh = w * padding, h * padding
    aspect = input_w / input_h
    if sw > sh * aspect:
        sh = sw / aspect
    else:
        sw = sh * aspect
    return center, np.array([sw, sh], dtype=np.float64)


def warp_matrix(center, scale, input_w, input_h, rotation_deg=0.0):
    """2x3 affine taking source points to input pixel indices: the similarity get_warp_matrix builds
    from its three point pairs (centre -> (W/2, H/2), the rotated half-width up-vector -> (0, -W/2))."""
    k = input_w / float(scale[0])
    theta = math.radians(rotation_deg)
    cos, sin = math.cos(theta), math.sin(theta)
    # dst = k * R(-theta) * (src - center) + (W/2, H/2)
    rot = np.array([[cos, sin], [-sin, cos]]) * k
    offset = np.array([input_w * 0.5, input_h * 0.5]) - rot @ np.asarray(center, dtype=np.float64)
    return np.concatenate([rot, offset[:, None]], axis=1)


def invert_affine(matrix):
    return cv2.invertAffineTransform(np.asarray(matrix, dtype=np.float64))


def apply_affine(matrix, points):
    points = np.asarray(points, dtype=np.float64)
    return points @ matrix[:, :2].T + matrix[:, 2]


def warp(image, matrix, input_w, input_h):
    return cv2.warpAffine(image, matrix, (input_w, input_h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=0)
