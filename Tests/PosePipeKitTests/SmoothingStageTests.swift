import Testing
@testable import PosePipeKit

/// Online and offline smoothing behind one seam.
@Suite struct SmoothingStageTests {
    func tracked(_ index: Int, x: Double) -> TrackedFrame {
        let frame = VideoFrame(index: index, pts: Double(index) / 10, width: 4, height: 2, rgb: [UInt8](repeating: 7, count: 4 * 2 * 3))
        let person = TrackedPerson(id: 1, score: 0.9, keypoints: [Keypoint(x: x, y: 0, score: 0.9), Keypoint(x: x + 50, y: 80, score: 0.9)])
        return TrackedFrame(frame: frame, people: [person], activeIDs: [1])
    }

    @Test func offlineHoldsItsWindowWithoutPixelsAndHandsEverythingOverAtTheEnd() {
        let info = VideoInfo(source: "test", width: 4, height: 2, fps: 10, duration: 1, codec: "none", orientation: .upright)
        // A 5 Hz wobble under a 1 Hz cutoff is nearly all taken off.
        var stage = Smoothing(mode: .offline, offline: FixedLagSmoother.Parameters(cutoff: 1, lag: 0.5)).stage(for: info, clearScore: 0.5, keepsPixels: { $0 == 2 })
        var out: [FrameResult] = []
        for index in 0..<8 { out += stage.smooth(tracked(index, x: Double(index % 2))) }
        // 0.5 s at 10 fps: five frames held.
        #expect(out.map(\.frame.index) == [0, 1, 2])
        out += stage.finish()
        #expect(out.map(\.frame.index) == Array(0..<8))
        #expect(out.map(\.frame.rgb.isEmpty) == [true, true, false, true, true, true, true, true], "only frame 2 keeps its pixels")
        #expect(out[3].people[0].keypoints[0].x > 0.2 && out[3].people[0].keypoints[0].x < 0.8, "smoothed toward the mean")
    }

    @Test func onlineGivesEachFrameBackAtOnceAndNoneLeavesItRaw() {
        let info = VideoInfo(source: "test", width: 4, height: 2, fps: 10, duration: nil, codec: "none", orientation: .upright)
        var online = Smoothing(mode: .online).stage(for: info, clearScore: 0.5, keepsPixels: { _ in false })
        var raw = Smoothing.off.stage(for: info, clearScore: 0.5, keepsPixels: { _ in false })
        for index in 0..<4 {
            let smoothed = online.smooth(tracked(index, x: Double(index * 10)))
            let unsmoothed = raw.smooth(tracked(index, x: Double(index * 10)))
            #expect(smoothed.map(\.frame.index) == [index] && unsmoothed.map(\.frame.index) == [index])
            #expect(!smoothed[0].frame.rgb.isEmpty, "nothing held, nothing dropped")
            #expect(unsmoothed[0].people[0].keypoints[0].x == Double(index * 10))
            if index > 0 { #expect(smoothed[0].people[0].keypoints[0].x < Double(index * 10), "the One Euro filter lags") }
        }
        #expect(online.finish().isEmpty && raw.finish().isEmpty)
    }
}
