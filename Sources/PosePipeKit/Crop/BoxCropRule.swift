/// MMPose's top-down crop: the person's box grown by `padding` (`bbox_xyxy2cs`), its aspect
/// fixed to the input's (`TopdownAffine._fix_aspect_ratio`), warped so the box centre lands on
/// the input centre and the box width fills the input (`get_warp_matrix`), bilinear.
///
/// MMPose (like OpenCV) puts pixel centres on integers; posepipe puts them at +0.5. The crop is
/// built so each input pixel samples exactly where `cv2.warpAffine` samples it, and codec
/// coordinates, which are MMPose's input pixel indices, map back as MMPose's
/// `kp / input_size · scale + centre − scale / 2`, plus 0.5 on both axes for posepipe's origin.
/// With `udp`, MMPose's unbiased variant: input pixel 0 and W − 1 are the box's edges.
/// A followed person's crop comes from the box around their clear keypoints.
public struct BoxCropRule: CropRule, Equatable {
    public var padding: Double
    public var udp: Bool
    public var inputWidth: Int
    public var inputHeight: Int
    /// Keypoints scored at least this make the box a followed person's crop comes from.
    public var clearScore: Double

    public init(padding: Double = 1.25, udp: Bool = false, inputWidth: Int, inputHeight: Int, clearScore: Double = 0.5) {
        self.padding = padding
        self.udp = udp
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.clearScore = clearScore
    }

    public func crop(for detection: Detection) -> RotatedRect? {
        crop(around: detection.box)
    }

    public func crop(following keypoints: [Keypoint], points: [Point2]?) -> RotatedRect? {
        let clear = keypoints.filter { $0.score >= clearScore }
        guard clear.count >= 2 else { return nil }
        return crop(around: Box(enclosing: clear.map(\.point)))
    }

    /// The crop MMPose cuts for `box` (in posepipe's pixels).
    public func crop(around box: Box) -> RotatedRect? {
        let n = Double(inputWidth), m = Double(inputHeight)
        var w = box.width * padding, h = box.height * padding
        if w > h * (n / m) { h = w * m / n } else { w = h * n / m }
        guard w > 0, h > 0, w.isFinite, h.isFinite else { return nil }
        // With M⁻¹ MMPose's map from input pixel index to image pixel index, the crop satisfies
        // cropToFrame(u + 0.5) = M⁻¹(u) + 0.5 for every input pixel index u. MMPose's centre is
        // posepipe's box centre − 0.5; solving for the rectangle gives these.
        if udp {
            return RotatedRect(center: box.center, width: w * n / (n - 1), height: h * m / (m - 1))
        }
        return RotatedRect(center: Point2(x: box.center.x - 0.5 * w / n, y: box.center.y - 0.5 * h / m), width: w, height: h)
    }

    public func codecToFrame(_ crop: RotatedRect, inputWidth: Int, inputHeight: Int) -> AffineTransform {
        crop.cropToFrame(cropWidth: Double(inputWidth), cropHeight: Double(inputHeight))
            .after(AffineTransform(a: 1, b: 0, c: 0, d: 1, tx: 0.5, ty: 0.5))
    }
}
