import Testing
@testable import PosePipeKit

/// The first tile sweep on real footage: a person BlazePose's face detector cannot find in the whole
/// frame is found within the first frames, not a second later when the cadence reaches their tile.
@Suite struct FirstSweepFootageTests {
    @Test func theWomanSeenFromBehindIsFoundWithinTheFirstSweep() throws {
        // 60 fps, 544×960: ten tiles, a detection every sixth frame. At the cadence her tile came at
        // frame 18; in the first sweep each of frames 0–9 searches one tile.
        let options = PipelineOptions(threads: 2, smoothing: .off, maxFrames: 12)
        let pipeline = try PosePipeline(description: try PipelineDescription.load("blazepose"), options: options)
        var results: [FrameResult] = []
        _ = try pipeline.run(try VideoDecoder(source: SideKeeperFootageTests.multiPerson)) { results.append($0) }
        #expect(results.count == 12)
        // She stands in the left foreground, her back to the camera; the man is to her right.
        let womanFrames = results.filter { $0.people.contains { $0.box.x < 120 && $0.box.y > 300 } }.map(\.frame.index)
        let first = try #require(womanFrames.first, "never found in the first 12 frames")
        #expect(first < 10, "found at frame \(first)")
        #expect(womanFrames == Array(first..<12), "followed from then on: \(womanFrames)")
        #expect(results[1...].allSatisfy { $0.people.contains { $0.box.x > 150 && $0.box.y < 300 } }, "the man from frame 1")
    }
}
