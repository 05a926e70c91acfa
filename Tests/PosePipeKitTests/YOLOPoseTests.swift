import Foundation
import Testing
@testable import PosePipeKit

/// Ultralytics YOLO-pose exports as a multi-person kind: the output's decode (score threshold, NMS, the
/// letterbox mapped back, clipping), the letterboxed input, and a synthetic export
/// (Scripts/references/synthetic_exports.py; Ultralytics' AGPL weights are never committed) run end to end with
/// posepipe's tracking and smoothing.
@Suite struct YOLOPoseTests {
    static let model = RTMLibFixture.model("yolo-pose-synthetic.onnx").path

    /// output0 [1, 5 + 3K, anchors] channel-major for K = 2, 6 anchors.
    func output(_ columns: [[Float]]) -> [Float] {
        let rows = columns[0].count
        return (0..<rows).flatMap { r in columns.map { $0[r] } }
    }

    func column(cx: Float, cy: Float, w: Float, h: Float, score: Float, points: [(Float, Float, Float)]) -> [Float] {
        [cx, cy, w, h, score] + points.flatMap { [$0.0, $0.1, $0.2] }
    }

    @Test func decodeKeepsTheBestOfOverlappingRowsAndMapsThroughTheLetterbox() {
        let decoder = LetterboxPoseDecoder(kind: .yoloPose, keypointCount: 2, scoreThreshold: 0.25, nmsIouThreshold: 0.7)
        let values = output([
            column(cx: 100, cy: 200, w: 40, h: 100, score: 0.8, points: [(90, 160, 0.9), (110, 240, 0.4)]),
            column(cx: 102, cy: 200, w: 40, h: 100, score: 0.9, points: [(92, 161, 0.95), (112, 241, 0.5)]),  // overlaps: wins
            column(cx: 300, cy: 200, w: 40, h: 100, score: 0.6, points: [(300, 150, 0.7), (700, -10, 0.6)]),  // clipped
            column(cx: 500, cy: 200, w: 40, h: 100, score: 0.25, points: [(0, 0, 1), (0, 0, 1)]),  // not above 0.25
            column(cx: 130, cy: 200, w: 40, h: 100, score: 0.7, points: [(0, 0, 1), (0, 0, 1)]),  // IoU 0.29: kept
            column(cx: 0, cy: 0, w: 0, h: 0, score: 0, points: [(0, 0, 0), (0, 0, 0)]),
        ])
        let placement = LetterboxPoseDecoder.Placement(gain: 0.5, padX: 0, padY: 140, frameWidth: 1280, frameHeight: 720)
        let people = decoder.yoloPose(values, anchors: 6, placement: placement)
        #expect(people.count == 3)
        #expect(people.map(\.score) == [0.9, 0.7, 0.6].map { Double(Float($0)) })
        let best = people[0]
        #expect(best.keypoints[0] == Keypoint(x: 184, y: (161 - 140) * 2, score: Double(Float(0.95))))
        #expect(best.keypoints[1] == Keypoint(x: 224, y: (241 - 140) * 2, score: 0.5))
        #expect(best.crop.center == Point2(x: 204, y: 120) && best.crop.width == 80 && best.crop.height == 200)
        // Coordinates are clipped to the frame, as Ultralytics' scale_coords does.
        #expect(people[2].keypoints[1].x == 1280 && people[2].keypoints[1].y == 0)
    }

    @Test func theFrameIsLetterboxedAsUltralyticsDoes() throws {
        let description = try PipelineDescription.load("yolo-pose")
        var part = try #require(description.detector.multiPose)
        part.model = ModelReference(file: Self.model, folder: Fixtures.folder)
        let estimator = try LetterboxPoseEstimator(part, keypointCount: 17)
        let decoder = try VideoDecoder(source: Fixtures.sports2d)
        let frame = try #require(try decoder.next())
        // 1768 × 994 → gain 640/1768, resized 640 × 360, 140 rows of grey above and below.
        let (region, ratio) = estimator.region(width: frame.displayWidth, height: frame.displayHeight)
        #expect(abs(ratio - 640.0 / 1768) < 1e-12)
        #expect(abs(region.center.y - (320 - 140) * 994.0 / 360) < 1e-9 && abs(region.height - 640 * 994.0 / 360) < 1e-9)
        let tensor = estimator.tensor(for: frame)
        let plane = 640 * 640
        let grey = Float(114) / 255
        for row in [0, 70, 139, 500, 639] {
            for channel in 0..<3 { #expect(abs(tensor[channel * plane + row * 640 + 320] - grey) < 1e-6, "row \(row)") }
        }
        let inside = (141..<499).map { tensor[$0 * 640 + 320] }
        #expect(Set(inside.map { Int($0 * 255) }).count > 20, "the picture fills rows 140–499")
    }

    /// One run a frame, then posepipe's tracking, ids and smoothing, like MoveNet's pipeline.
    @Test func aSyntheticExportRunsEndToEndWithTracksAndSmoothing() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        func run(_ extra: [String]) throws -> [[[String: Any]]] {
            let out = folder.appendingPathComponent("tracks\(extra.count).jsonl")
            let outcome = try CLI.run([Fixtures.sports2d, "--pipeline", "yolo-pose", "--model", Self.model, "-o", out.path, "--quiet"] + extra)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return try String(contentsOf: out, encoding: .utf8).split(separator: "\n").dropFirst().map {
                (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["persons"] as! [[String: Any]]
            }
        }
        let smoothed = try run([]), raw = try run(["--no-smoothing"])
        #expect(smoothed.count == 230 && raw.count == 230)
        // Three near-duplicate rows a person: NMS leaves two people on every frame, each keeping one id.
        #expect(raw.allSatisfy { $0.count == 2 })
        let ids = Set(smoothed.flatMap { $0.map { $0["id"] as! Int } })
        #expect(ids.count == 2, "ids \(ids)")
        // The synthetic people move with the picture's brightness; smoothing changes the raw path.
        func x(_ frames: [[[String: Any]]], _ i: Int) -> [Double] {
            frames[i].sorted { ($0["id"] as! Int) < ($1["id"] as! Int) }.map { ($0["keypoints"] as! [[Double]])[0][0] }
        }
        let moves = (1..<230).map { abs(x(raw, $0)[0] - x(raw, $0 - 1)[0]) }
        #expect(moves.contains { $0 > 0.01 }, "the raw keypoints move")
        let differs = (0..<230).filter { abs(x(raw, $0)[0] - x(smoothed, $0)[0]) > 0.005 }.count
        #expect(differs > 10, "smoothing changed \(differs) frames")
        // Keypoint 3 is scored 0.2: hidden (below the pipeline's clear score 0.5).
        let third = (raw[0][0]["keypoints"] as! [[Double]])[3]
        #expect(abs(third[2] - 0.2) < 0.001)
    }

    @Test func optionsThatNeedAPerPersonModelAreRefused() throws {
        let outcome = try CLI.run([Fixtures.sports2d, "--pipeline", "yolo-pose", "--model", Self.model, "--detector", "yolox", "-o", "/dev/null"],
                                  feeding: Data())
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("--detector: pipeline yolo-pose finds people and keypoints in one model run"), "\(outcome.stderr)")
        let missing = try CLI.run([Fixtures.sports2d, "--pipeline", "yolo-pose", "-o", "/dev/null"], feeding: Data())
        #expect(missing.status == 64 && missing.stderr.contains("--model"), "\(missing.stderr)")
    }
}
