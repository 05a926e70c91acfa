import Foundation
import Testing
@testable import PosePipeKit

@Suite struct SSDAnchorsTests {
    static let blazePose = SSDAnchorOptions(numLayers: 5, minScale: 0.1484375, maxScale: 0.75, inputWidth: 224, inputHeight: 224,
                                            strides: [8, 16, 32, 32, 32])

    @Test func blazePoseGridMatchesTheModelsBoxCount() {
        let anchors = SSDAnchors.generate(Self.blazePose)
        // 28² cells × 2 + 14² × 2 + 7² × 6 (three stride-32 layers share one grid).
        #expect(anchors.count == 2254)
        #expect(anchors[0] == Anchor(centerX: 0.5 / 28, centerY: 0.5 / 28, width: 1, height: 1))
        #expect(anchors[1] == anchors[0])
        #expect(anchors[2].centerX == 1.5 / 28)
        #expect(anchors[1568] == Anchor(centerX: 0.5 / 14, centerY: 0.5 / 14, width: 1, height: 1))
        #expect(anchors[2253] == Anchor(centerX: 6.5 / 7, centerY: 6.5 / 7, width: 1, height: 1))
        #expect(anchors[2248].centerX == 6.5 / 7 && anchors[2247].centerX == 5.5 / 7)
    }

    @Test func variableSizeAnchorsUseTheLayerScales() {
        var options = Self.blazePose
        options.fixedAnchorSize = false
        options.numLayers = 1
        options.strides = [112]
        let anchors = SSDAnchors.generate(options)
        // One layer: scale (min+max)/2, then the interpolated one towards 1.
        #expect(anchors.count == 4 * 2)
        let scale = (0.1484375 + 0.75) / 2
        #expect(abs(anchors[0].width - scale) < 1e-12)
        #expect(abs(anchors[1].width - scale.squareRoot()) < 1e-12)
    }
}

@Suite struct DetectionDecoderTests {
    let anchors = [Anchor(centerX: 0.25, centerY: 0.5, width: 1, height: 1), Anchor(centerX: 0.75, centerY: 0.5, width: 1, height: 1)]

    @Test func offsetsAreInInputPixelsAroundTheAnchor() throws {
        let decoder = DetectionDecoder(anchors: anchors, boxScale: 100, keypointCount: 1, scoreThreshold: 0.5)
        let boxes: [Float] = [10, -20, 30, 40, 5, 5, 0, 0, 0, 0, 0, 0]
        let detections = decoder.decode(boxes: boxes, scores: [2, -2])
        let d = try #require(detections.first)
        #expect(detections.count == 1)
        #expect(abs(d.box.x - (0.35 - 0.15)) < 1e-6 && abs(d.box.y - (0.3 - 0.2)) < 1e-6)
        #expect(abs(d.box.width - 0.3) < 1e-6 && abs(d.box.height - 0.4) < 1e-6)
        #expect(abs(d.keypoints[0].x - 0.3) < 1e-6 && abs(d.keypoints[0].y - 0.55) < 1e-6)
        #expect(abs(d.score - 1 / (1 + exp(-2.0))) < 1e-12)
    }

    @Test func scoresAreClippedBeforeTheSigmoid() {
        let decoder = DetectionDecoder(anchors: anchors, boxScale: 1, keypointCount: 0, scoreThreshold: 0.5, scoreClip: 1)
        let detections = decoder.decode(boxes: [Float](repeating: 0, count: 8), scores: [1000, 0.5])
        #expect(detections.map(\.score) == [1 / (1 + exp(-1.0)), 1 / (1 + exp(-0.5))])
    }
}

@Suite struct NonMaxSuppressionTests {
    func detection(_ x: Double, _ score: Double) -> Detection {
        Detection(box: Box(x: x, y: 0, width: 10, height: 10), keypoints: [Point2(x: x, y: 1)], score: score)
    }

    @Test func overlappingBoxesMergeWeightedByScore() throws {
        let nms = NonMaxSuppression(iouThreshold: 0.3)
        let kept = nms.apply([detection(1, 0.6), detection(0, 0.9), detection(50, 0.7)])
        #expect(kept.count == 2)
        let merged = try #require(kept.first)
        #expect(merged.score == 0.9)
        #expect(abs(merged.box.x - 0.6 / 1.5) < 1e-12)
        #expect(abs(merged.keypoints[0].x - 0.6 / 1.5) < 1e-12)
        #expect(kept[1] == detection(50, 0.7))
    }

    @Test func separateBoxesAllSurviveInScoreOrder() {
        let kept = NonMaxSuppression(iouThreshold: 0.3).apply([detection(0, 0.5), detection(20, 0.8), detection(40, 0.6)])
        #expect(kept.map(\.score) == [0.8, 0.6, 0.5])
    }
}

@Suite struct AlignedCropRuleTests {
    let rule = AlignedCropRule(follow: [0, 1], targetAngleDegrees: 90, scale: 1.25)

    @Test func uprightPersonGetsAnUnrotatedSquare() throws {
        let region = try #require(rule.crop(center: Point2(x: 100, y: 200), toward: Point2(x: 100, y: 120)))
        #expect(region.center == Point2(x: 100, y: 200))
        #expect(region.width == 200 && region.height == 200)
        #expect(abs(region.rotation) < 1e-12)
    }

    @Test func personLyingHeadRightTurnsTheCropClockwise() throws {
        let region = try #require(rule.crop(center: Point2(x: 0, y: 0), toward: Point2(x: 10, y: 0)))
        #expect(abs(region.rotation - .pi / 2) < 1e-12)
        // The crop's top centre lands on the head side.
        let top = region.cropToFrame(cropWidth: 1, cropHeight: 1).apply(Point2(x: 0.5, y: 0))
        #expect(top.x > 0 && abs(top.y) < 1e-9)
    }

    @Test func coincidentPointsGiveNoRegion() {
        #expect(rule.crop(center: Point2(x: 3, y: 3), toward: Point2(x: 3, y: 3)) == nil)
        #expect(rule.crop(following: [], points: [Point2(x: 3, y: 3)]) == nil, "too few points to follow")
    }

    @Test func aFollowedPersonUsesTheRegressionPointsItNames() throws {
        let rule = AlignedCropRule(follow: [2, 1])
        let points = [Point2(x: 0, y: 0), Point2(x: 100, y: 120), Point2(x: 100, y: 200)]
        #expect(rule.crop(following: [], points: points) == rule.crop(center: points[2], toward: points[1]))
    }

    @Test func aBoxWithoutAlignmentPointsGetsAnUprightSquareAroundIt() throws {
        let crop = try #require(rule.crop(for: Detection(box: Box(x: 10, y: 20, width: 40, height: 100), score: 1)))
        #expect(crop == RotatedRect(center: Point2(x: 30, y: 70), width: 125, height: 125))
    }
}

@Suite struct DetectionTilingTests {
    @Test func levelTwoCoversTheFrameWithHalfOverlappingSquares() {
        let tiles = DetectionTiling(level: 2).tiles(width: 768, height: 576)
        // Side 384, stride at most 192: 3 across, 2 down.
        #expect(tiles.count == 6)
        #expect(tiles.allSatisfy { $0.width == 384 && $0.height == 384 && $0.rotation == 0 })
        #expect(tiles.first?.center == Point2(x: 192, y: 192))
        #expect(tiles.last?.center == Point2(x: 576, y: 384))
    }

    @Test(arguments: [0, 1, 2, 3, 5])
    func theGridsSizeIsKnownWithoutBuildingIt(level: Int) {
        let tiling = DetectionTiling(level: level)
        for (w, h) in [(768, 576), (1768, 994), (1088, 1920), (640, 640), (100, 4000), (1, 1)] {
            #expect(tiling.count(width: w, height: h) == tiling.tiles(width: w, height: h).count, "level \(level), \(w)×\(h)")
        }
    }

    @Test func eachDetectionSearchesTheNextTile() {
        let tiling = DetectionTiling(level: 2)
        let grid = tiling.tiles(width: 768, height: 576)
        for k in 0..<16 {
            #expect(tiling.tiles(width: 768, height: 576, detection: k) == [grid[k % grid.count]], "detection \(k)")
        }
        #expect(DetectionTiling(level: 0).tiles(width: 768, height: 576, detection: 3) == [])
    }

    @Test func theScheduleOwnsTheCadenceAndTheDetectionNumber() {
        let schedule = DetectionSchedule(interval: 3, tiling: DetectionTiling(level: 2))
        let grid = DetectionTiling(level: 2).tiles(width: 768, height: 576)
        #expect(grid.count == 6)
        #expect(schedule.scheduled(frame: 1, width: 768, height: 576) == nil)
        #expect(schedule.scheduled(frame: 3, width: 768, height: 576) == [grid[3]], "in the first sweep, frame 3 searches tile 3")
        #expect(schedule.scheduled(frame: 6, width: 768, height: 576) == [grid[2]], "frame 6 is detection 2")
        #expect(schedule.scheduled(frame: 9, width: 768, height: 576) == [grid[3]], "frame 9 is detection 3")
        #expect(schedule.unscheduled(frame: 7, width: 768, height: 576) == [grid[7 % grid.count]])
    }

    @Test func theFirstSweepSearchesTheTilesTheCadenceSkipsOnce() {
        let schedule = DetectionSchedule(interval: 3, tiling: DetectionTiling(level: 2))
        let grid = DetectionTiling(level: 2).tiles(width: 768, height: 576)
        let sweep = (0..<8).map { schedule.firstSweep(frame: $0, width: 768, height: 576) }
        #expect(sweep == [nil, [grid[1]], [grid[2]], nil, [grid[4]], [grid[5]], nil, nil])
        // Without tiles there is nothing to sweep.
        let whole = DetectionSchedule(interval: 3, tiling: DetectionTiling(level: 0))
        #expect((0..<4).map { whole.firstSweep(frame: $0, width: 768, height: 576) } == [nil, nil, nil, nil])
        #expect((0..<4).map { whole.scheduled(frame: $0, width: 768, height: 576) } == [[], nil, nil, []])
    }

    @Test func letterboxIsTheSquareAroundTheFrame() {
        #expect(letterbox(width: 1768, height: 994) == RotatedRect(center: Point2(x: 884, y: 497), width: 1768, height: 1768))
    }
}

@Suite struct DetectionCadenceTests {
    @Test func defaultCadenceIsAboutTenDetectionsASecond() {
        let auto = PipelineOptions()
        #expect(auto.detectionInterval(fps: 30) == 3)
        #expect(auto.detectionInterval(fps: 60) == 6)
        #expect(auto.detectionInterval(fps: 10) == 1)
        #expect(auto.detectionInterval(fps: 4) == 1)
        #expect(auto.detectionInterval(fps: 0) == 3, "unknown frame rate")
        #expect(PipelineOptions(detectEvery: 7).detectionInterval(fps: 30) == 7)
        #expect(PipelineOptions(detectEvery: 0).detectionInterval(fps: 30) == 1)
    }
}
