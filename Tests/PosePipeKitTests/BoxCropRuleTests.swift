import Foundation
import Testing
@testable import PosePipeKit

/// The box crop against MMPose's own formulas, written out by hand from
/// `bbox_xyxy2cs`, `TopdownAffine._fix_aspect_ratio`, `get_warp_matrix` / `get_udp_warp_matrix`
/// and `TopdownPoseEstimator`'s back-transform, in MMPose's pixels (centres on integers).
@Suite struct BoxCropRuleTests {
    // MMPose box xyxy [100, 50, 140, 110] is posepipe's (100.5, 50.5, 40, 60): half a pixel on.
    let box = Box(x: 100.5, y: 50.5, width: 40, height: 60)
    // centre (120, 80); scale (50, 75) after padding 1.25; aspect 192/256 widens it to (56.25, 75).
    let center = (x: 120.0, y: 80.0), scale = (w: 56.25, h: 75.0)

    /// MMPose's map from an input pixel index to an image pixel index.
    func mmposeInverse(_ u: Double, _ v: Double, udp: Bool) -> Point2 {
        let (n, m) = udp ? (191.0, 255.0) : (192.0, 256.0)
        return Point2(x: center.x - scale.w / 2 + u * scale.w / n, y: center.y - scale.h / 2 + v * scale.h / m)
    }

    @Test(arguments: [false, true])
    func inputPixelsSampleWhereWarpAffineSamples(udp: Bool) throws {
        let rule = BoxCropRule(padding: 1.25, udp: udp, inputWidth: 192, inputHeight: 256)
        let crop = try #require(rule.crop(around: box))
        let toFrame = crop.cropToFrame(cropWidth: 192, cropHeight: 256)
        for (u, v) in [(0.0, 0.0), (95.0, 127.0), (191.0, 255.0), (17.0, 203.0)] {
            // posepipe samples input pixel (u, v) at its centre, (u + 0.5, v + 0.5), and reads the
            // frame at that point − 0.5 in pixel-index terms.
            let sampled = toFrame.apply(Point2(x: u + 0.5, y: v + 0.5))
            let expected = mmposeInverse(u, v, udp: udp)
            #expect(abs(sampled.x - 0.5 - expected.x) < 1e-9 && abs(sampled.y - 0.5 - expected.y) < 1e-9, "input (\(u), \(v))")
        }
    }

    @Test(arguments: [false, true])
    func codecCoordinatesMapBackAsMMPosePlusHalfAPixel(udp: Bool) throws {
        let rule = BoxCropRule(padding: 1.25, udp: udp, inputWidth: 192, inputHeight: 256)
        let crop = try #require(rule.crop(around: box))
        let map = rule.codecToFrame(crop, inputWidth: 192, inputHeight: 256)
        for (u, v) in [(0.0, 0.0), (48.25, 100.75), (191.0, 255.0)] {
            let p = map.apply(Point2(x: u, y: v)), expected = mmposeInverse(u, v, udp: udp)
            #expect(abs(p.x - (expected.x + 0.5)) < 1e-9 && abs(p.y - (expected.y + 0.5)) < 1e-9)
        }
    }

    @Test func aWideBoxGrowsInHeightToTheInputsAspect() throws {
        let rule = BoxCropRule(padding: 1, inputWidth: 192, inputHeight: 256)
        let crop = try #require(rule.crop(around: Box(x: 0, y: 0, width: 300, height: 100)))
        #expect(crop.width == 300 && crop.height == 400)
        #expect(crop.rotation == 0)
    }

    @Test func aFollowedPersonIsCroppedAroundTheirClearKeypoints() throws {
        let rule = BoxCropRule(padding: 1.25, inputWidth: 192, inputHeight: 256, clearScore: 0.5)
        let keypoints = [Keypoint(x: 100.5, y: 50.5, score: 0.9), Keypoint(x: 140.5, y: 110.5, score: 0.8),
                         Keypoint(x: 900, y: 900, score: 0.2)]
        #expect(rule.crop(following: keypoints, points: nil) == rule.crop(around: box))
        #expect(rule.crop(following: Array(keypoints.suffix(2)), points: nil) == nil, "one clear keypoint places no crop")
    }

    @Test func theWholeFrameIsMMPosesNoBoxBox() throws {
        let frame = VideoFrame(index: 0, pts: 0, width: 64, height: 48, rgb: [UInt8](repeating: 0, count: 64 * 48 * 3))
        let detection = try #require(try WholeFrameDetector().detect(in: frame, tiles: []).first)
        // MMPose's [0, 0, w, h] in its pixels.
        #expect(detection.box == Box(x: 0.5, y: 0.5, width: 64, height: 48))
        #expect(detection.score == 1)
    }
}

@Suite struct CropNormalizerLayoutTests {
    /// A 2×1 frame: a red pixel and a blue one.
    let frame = VideoFrame(index: 0, pts: 0, width: 2, height: 1, rgb: [200, 10, 20, 0, 30, 250])
    let whole = RotatedRect(center: Point2(x: 1, y: 0.5), width: 2, height: 1)

    func input(_ layout: TensorLayout, _ channels: InputDescription.ChannelOrder, _ normalization: InputDescription.Normalization) -> ModelInput {
        ModelInput(name: "in", layout: layout, width: 2, height: 1, channels: channels, normalization: normalization)
    }

    @Test func nchwWritesOnePlanePerChannel() {
        let tensor = CropNormalizer(input: input(.nchw, .rgb, .range(low: 0, high: 255))).tensor(from: frame, crop: whole)
        #expect(tensor == [200, 0, 10, 30, 20, 250])
    }

    @Test func bgrSwapsRedAndBlue() {
        let tensor = CropNormalizer(input: input(.nhwc, .bgr, .range(low: 0, high: 255))).tensor(from: frame, crop: whole)
        #expect(tensor == [20, 10, 200, 250, 30, 0])
    }

    @Test func meanAndStdAreAppliedPerChannelOnByteValues() {
        let imagenet = InputDescription.Normalization.meanStd(mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375])
        let tensor = CropNormalizer(input: input(.nchw, .rgb, imagenet)).tensor(from: frame, crop: whole)
        let expected: [Double] = [(200 - 123.675) / 58.395, (0 - 123.675) / 58.395, (10 - 116.28) / 57.12,
                                  (30 - 116.28) / 57.12, (20 - 103.53) / 57.375, (250 - 103.53) / 57.375]
        for (value, want) in zip(tensor, expected) { #expect(abs(Double(value) - want) < 1e-5) }
    }

    @Test(arguments: [TensorLayout.nchw, .nhwc])
    func mirroringReversesEachRow(layout: TensorLayout) {
        let normalizer = CropNormalizer(input: input(layout, .rgb, .range(low: 0, high: 255)))
        let plain = normalizer.tensor(from: frame, crop: whole)
        let mirrored = normalizer.tensor(from: frame, crop: whole, mirrored: true)
        let swapped = VideoFrame(index: 0, pts: 0, width: 2, height: 1, rgb: [0, 30, 250, 200, 10, 20])
        #expect(mirrored == normalizer.tensor(from: swapped, crop: whole))
        #expect(mirrored != plain)
    }
}
