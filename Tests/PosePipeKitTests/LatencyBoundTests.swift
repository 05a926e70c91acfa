import Testing
@testable import PosePipeKit

/// The decisions behind a live run's latency bound, each a small value type: whether to skip a
/// frame (`LatencyBound`), when a frame was due (`SourceClock`), what work lies ahead
/// (`WorkEstimate`), and how many frames went missing below posepipe (`FrameGaps`). No ONNX Runtime.
@Suite struct LatencyBoundTests {
    let bound = LatencyBound(maxLatency: 0.5)

    @Test func aLateFrameIsSkippedOnlyWhenANewerOneIsWaiting() {
        #expect(bound.skips(age: 0.45, remaining: 0.1, newerWaiting: true))
        // The newest frame is always worked on: a slow pipeline goes on with the newest it has.
        #expect(!bound.skips(age: 5, remaining: 0.1, newerWaiting: false))
        // In time, with its work still ahead.
        #expect(!bound.skips(age: 0.35, remaining: 0.1, newerWaiting: true))
        #expect(!bound.skips(age: 0.4, remaining: 0.1, newerWaiting: true))
    }

    @Test func theWorkAheadCountsAgainstTheBound() {
        // The same age: skipped when the work left would carry its line past the bound.
        #expect(!bound.skips(age: 0.2, remaining: 0.25, newerWaiting: true))
        #expect(bound.skips(age: 0.2, remaining: 0.35, newerWaiting: true))
    }

    @Test func theClockTakesTheEarliestArrivalAsOnTime() {
        var clock = SourceClock()
        // Frames 1/30 s apart; the first arrives at 100 s, the second on time, the third 0.3 s late.
        #expect(clock.due(pts: 1.0, arrival: 100.0) == 100.0)
        #expect(abs(clock.due(pts: 1.0 + 1.0 / 30, arrival: 100.0 + 1.0 / 30) - (100.0 + 1.0 / 30)) < 1e-9)
        #expect(abs(clock.due(pts: 1.1, arrival: 100.4) - 100.1) < 1e-9)
        // A frame that comes earlier than the mapping says moves it: later frames are due earlier.
        #expect(abs(clock.due(pts: 1.2, arrival: 100.15) - 100.15) < 1e-9)
        #expect(abs(clock.due(pts: 1.3, arrival: 100.5) - 100.25) < 1e-9)
    }

    @Test func aTimestampGoingBackStartsTheClockAfresh() {
        var clock = SourceClock()
        _ = clock.due(pts: 50, arrival: 10)
        // Without a fresh start this frame would seem 50 s late.
        #expect(clock.due(pts: 0, arrival: 10.1) == 10.1)
        #expect(abs(clock.due(pts: 0.1, arrival: 10.2) - 10.2) < 1e-9)
    }

    @Test func theWorkEstimateFollowsRecentDurations() {
        var work = WorkEstimate()
        #expect(work.seconds == 0)
        work.note(0.1)
        #expect(work.seconds == 0.1)
        work.note(0.2)
        #expect(abs(work.seconds - 0.12) < 1e-12)
        work.note(.nan)
        #expect(abs(work.seconds - 0.12) < 1e-12)
    }

    @Test func gapsInTimestampsCountTheMissingFrames() {
        var gaps = FrameGaps(step: 0.1)
        for pts in [0.0, 0.1, 0.2, 0.5, 0.6, 0.71, 0.8, 1.3] { gaps.note(pts: pts) }
        // 0.2 → 0.5 lost two frames, 0.8 → 1.3 four; 0.6 → 0.71 is jitter.
        #expect(gaps.missing == 6)
        // A frame repeated or out of order is no loss, nor a timeline that jumps by hours.
        gaps.note(pts: 1.3)
        gaps.note(pts: 1.2)
        gaps.note(pts: 10_000)
        #expect(gaps.missing == 6)
        var unknownRate = FrameGaps(step: 0)
        unknownRate.note(pts: 0)
        unknownRate.note(pts: 5)
        #expect(unknownRate.missing == 0)
    }
}
