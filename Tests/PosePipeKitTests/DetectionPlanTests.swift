import Testing
@testable import PosePipeKit

/// The one place that decides detection: what a worker does ahead of frame order, and what the
/// follower searches in it.
@Suite struct DetectionPlanTests {
    let frame = { (index: Int) in VideoFrame(index: index, pts: Double(index) / 30, width: 640, height: 360, rgb: [UInt8](repeating: 0, count: 640 * 360 * 3)) }
    let person = Detection(box: Box(x: 10, y: 20, width: 30, height: 60), score: 0.9)

    func plan(defers: Bool, maxPeople: Int? = nil) -> DetectionPlan {
        DetectionPlan(schedule: DetectionSchedule(interval: 3, tiling: DetectionTiling(level: 1)), defers: defers, maxPeople: maxPeople)
    }

    @Test func aWorkerDetectsOnScheduledFramesOnlyOrLeavesTheSearchWhenItDefers() {
        var searched: [[RotatedRect]] = []
        let eager = (0..<4).map { index in plan(defers: false).look(at: frame(index)) { searched.append($0); return [person] } }
        #expect(eager == [.found([person]), .none, .none, .found([person])])
        // Level 1 tiles a 640×360 frame with three squares of 360, searched one a detection, in turn.
        #expect(searched.map { $0.map(\.center.x) } == [[180], [320]])
        let deferred = plan(defers: true, maxPeople: 1).look(at: frame(3)) { _ in Issue.record("no detector run ahead"); return [] }
        #expect(deferred == .deferred(tiles: [RotatedRect(center: Point2(x: 320, y: 180), width: 360, height: 360)]))
    }

    @Test func theFollowerSearchesAFreeFrameWhileNobodyIsFollowedAndADeferredOneWhileAPlaceIsFree() {
        let tiles = [RotatedRect(center: Point2(x: 1, y: 2), width: 3, height: 3)]
        let limited = plan(defers: true, maxPeople: 2)
        let frame4 = DetectionSearch(tiles: [RotatedRect(center: Point2(x: 320, y: 180), width: 360, height: 360)])
        #expect(limited.search(frame(4), detected: .none, followed: 0) == frame4, "nobody followed: the whole frame and a tile now")
        #expect(limited.search(frame(4), detected: .none, followed: 1) == nil)
        #expect(limited.search(frame(3), detected: .deferred(tiles: tiles), followed: 1) == DetectionSearch(tiles: tiles), "a place is free")
        #expect(limited.search(frame(3), detected: .deferred(tiles: tiles), followed: 2) == nil, "every place taken")
        #expect(limited.search(frame(3), detected: .found([person]), followed: 0) == nil, "the worker searched already")
    }

    @Test func untilEveryTileWasSearchedOnceTheFollowerSearchesTheTileOfAFrameBetweenDetections() {
        // Level 2 tiles a 640×360 frame with ten squares of 240: frames 0–9 each have their own.
        let plan = DetectionPlan(schedule: DetectionSchedule(interval: 3, tiling: DetectionTiling(level: 2)), defers: false, maxPeople: nil)
        let grid = DetectionTiling(level: 2).tiles(width: 640, height: 360)
        #expect(grid.count == 10)
        #expect(plan.search(frame(4), detected: .none, followed: 1) == DetectionSearch(wholeFrame: false, tiles: [grid[4]]),
                "someone followed: the tile alone, the whole frame waits for the cadence")
        #expect(plan.search(frame(4), detected: .none, followed: 0) == DetectionSearch(tiles: [grid[4]]), "nobody followed: the whole frame too")
        #expect(plan.search(frame(11), detected: .none, followed: 1) == nil, "the first sweep is done")
        // Scheduled frames of the first sweep search their own tile, so that the sweep covers every tile.
        var searched: [Int: [RotatedRect]] = [:]
        for index in 0..<10 {
            if let tiles = plan.schedule.scheduled(frame: index, width: 640, height: 360) { searched[index] = tiles }
            if let search = plan.search(frame(index), detected: .none, followed: 1) { searched[index] = search.tiles }
        }
        #expect((0..<10).map { searched[$0] } == grid.map { [$0] })
        #expect(plan.schedule.scheduled(frame: 12, width: 640, height: 360) == [grid[4]], "then detection 4 searches tile 4")
        let full = DetectionPlan(schedule: plan.schedule, defers: true, maxPeople: 1)
        #expect(full.search(frame(4), detected: .none, followed: 1) == nil, "every place taken: no search")
    }

    @Test func aRunsPlanFollowsTheOptionsAndTheFrameRate() {
        let options = PipelineOptions(detectTiles: 0, maxPeople: 1)
        let followed = DetectionPlan(options: options, fps: 30, follows: true)
        #expect(followed.schedule.interval == 3 && followed.defers && followed.maxPeople == 1)
        // Without following, every frame's detection is its crop: detect on every frame, never defer.
        let whole = DetectionPlan(options: options, fps: 30, follows: false)
        #expect(whole.schedule.interval == 1 && !whole.defers)
        #expect(!DetectionPlan(options: PipelineOptions(), fps: 30, follows: true).defers, "no limit: nothing to wait for")
    }
}
