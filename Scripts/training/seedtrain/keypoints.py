"""COCO-17 keypoint set and its relation to BlazePose-33 (the teacher's keypoints)."""

COCO_NAMES = [
    "nose", "left_eye", "right_eye", "left_ear", "right_ear",
    "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
    "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
]
NUM_KEYPOINTS = len(COCO_NAMES)

# Index of each COCO joint among BlazePose's 33 landmarks, in COCO order.
BLAZEPOSE_TO_COCO = [0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28]

# A mirrored crop swaps left and right: channel k of the mirror is channel FLIP_INDICES[k] of the original.
FLIP_INDICES = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]

# The teacher's threshold for a keypoint it trusts (MediaPipe's visibility cut, posepipe's "clear").
CLEAR_SCORE = 0.5
