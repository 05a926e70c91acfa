import Foundation
import Testing
@testable import PosePipeKit

/// The shipped BlazePose codec (MediaPipe's window refinement) against the quarter offset it replaced, on
/// the first two seconds of the sports2d clip. The crops follow the regression head's points, so every
/// codec decodes the very same crops: differences are the decoders' own.
@Suite struct BlazePoseCodecFootageTests {
    static func run(codec: [String: Any]?, regressionHidden: Bool = true) throws -> [FrameResult] {
        let description = try describe { json in
            if let codec { set(&json, "pose.codec", codec) }
            set(&json, "pose.regression.hidden_positions", regressionHidden)
        }
        let options = PipelineOptions(threads: 2, smoothing: .off, keepSides: false, maxFrames: 60)
        var results: [FrameResult] = []
        _ = try PosePipeline(description: description, options: options).run(try VideoDecoder(source: Fixtures.sports2d)) {
            results.append($0)
        }
        return results
    }

    /// Person id → keypoints, per frame.
    static func byID(_ results: [FrameResult]) -> [[Int: [Keypoint]]] {
        results.map { Dictionary(uniqueKeysWithValues: $0.people.map { ($0.id, $0.keypoints) }) }
    }

    static func size(_ k: [Keypoint]) -> Double {
        let box = Box(enclosing: k.map(\.point))
        return max(box.width, box.height, 1)
    }

    /// Mean |p(t+1) − 2p(t) + p(t−1)| of keypoints clear on all three frames, in thousandths of the person's size.
    static func jitter(_ results: [FrameResult]) -> Double {
        let frames = byID(results)
        var total = 0.0, count = 0
        for t in 1..<(frames.count - 1) {
            for (id, now) in frames[t] {
                guard let before = frames[t - 1][id], let after = frames[t + 1][id] else { continue }
                for k in now.indices where [before[k], now[k], after[k]].allSatisfy({ $0.score >= 0.5 }) {
                    let ax = after[k].x - 2 * now[k].x + before[k].x, ay = after[k].y - 2 * now[k].y + before[k].y
                    total += (ax * ax + ay * ay).squareRoot() / size(now)
                    count += 1
                }
            }
        }
        return 1000 * total / Double(max(count, 1))
    }

    /// Median distance of clear keypoints from the same person's regressed ones, in thousandths of their size.
    static func fromRegression(_ results: [FrameResult], _ regressed: [FrameResult]) -> Double {
        let reference = byID(regressed)
        var distances: [Double] = []
        for (t, frame) in byID(results).enumerated() {
            for (id, keypoints) in frame {
                guard let other = reference[t][id] else { continue }
                for (p, q) in zip(keypoints, other) where p.score >= 0.5 {
                    distances.append(1000 * p.point.distance(to: q.point) / size(other))
                }
            }
        }
        return distances.sorted()[distances.count / 2]
    }

    @Test func theWindowShakesLessAndStaysCloserToTheModelsRegressionThanTheQuarterOffset() throws {
        let window = try Self.run(codec: nil)
        let quarter = try Self.run(codec: ["type": "msra", "output": "Identity_3", "layout": "NHWC", "guard": "joint", "logits": true])
        let regressed = try Self.run(codec: ["type": "regression", "output": "Identity", "format": "flat", "values_per_keypoint": 5,
                                             "score_index": 3, "logits": true, "units": "pixels"], regressionHidden: false)
        #expect(window.map { $0.people.map(\.id) } == quarter.map { $0.people.map(\.id) }, "the same people on the same crops")
        let (jw, jq) = (Self.jitter(window), Self.jitter(quarter))
        #expect(jw < 0.85 * jq, "jitter: window \(jw), quarter offset \(jq)")
        let (aw, aq) = (Self.fromRegression(window, regressed), Self.fromRegression(quarter, regressed))
        #expect(aw < 0.9 * aq, "from the regression: window \(aw), quarter offset \(aq)")
    }
}
