import Foundation
import Testing
@testable import PosePipeKit

/// The shipped box detector (EfficientDet-Lite0) on real footage, against BlazePose's detector.
@Suite struct BoxDetectorTests {
    /// Frames 0, 20, 40 and 60 of the pedestrians clip (4 to 6 people in view, some far away).
    static let frames: [VideoFrame] = {
        guard let decoder = try? VideoDecoder(source: Fixtures.pedestrians) else { return [] }
        var picked: [VideoFrame] = []
        while let frame = try? decoder.next(), frame.index <= 60 {
            if frame.index % 20 == 0 { picked.append(frame) }
        }
        return picked
    }()

    func detector(_ name: String) throws -> any PersonDetecting {
        var description = try PipelineDescription.load("blazepose")
        description.detector = try PipelineLoader().detector(named: name)
        return try StageFactory(description).makeDetector()
    }

    @Test func findsAtLeastAsManyPeopleAsBlazePosesDetectorOnEachFrame() throws {
        let frames = Self.frames
        try #require(frames.count == 4)
        let boxes = try detector("efficientdet-lite0"), faces = try detector("blazepose")
        var counts: [(box: Int, blazepose: Int)] = []
        for frame in frames {
            counts.append((try boxes.detect(in: frame, tiles: []).count, try faces.detect(in: frame, tiles: []).count))
        }
        for (index, count) in counts.enumerated() {
            #expect(count.box >= count.blazepose, "frame \(index * 20): box \(count.box), blazepose \(count.blazepose)")
        }
        #expect(counts.map(\.box).reduce(0, +) >= 12, "\(counts)")
    }

    @Test func boxesAreUprightPeopleInsideTheFrame() throws {
        let frame = try #require(Self.frames.dropFirst().first)
        let people = try detector("efficientdet-lite0").detect(in: frame, tiles: [])
        try #require(!people.isEmpty)
        for person in people {
            let box = person.box
            #expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= 768 && box.y + box.height <= 576)
            #expect(box.height > box.width, "a standing pedestrian is taller than wide: \(box)")
            #expect(person.score >= 0.3 && person.score <= 1)
            #expect(person.alignment.isEmpty)
        }
        #expect(people.map(\.score) == people.map(\.score).sorted(by: >), "best first")
    }

    @Test func aTileFindsPeopleInItsOwnPartOfTheFrame() throws {
        let frame = try #require(Self.frames.dropFirst().first)
        let tile = try #require(DetectionTiling(level: 2).tiles(width: 768, height: 576).first { $0.center.x > 400 && $0.center.y > 200 })
        let people = try detector("efficientdet-lite0").detect(in: frame, tiles: [tile])
        #expect(people.count >= (try detector("efficientdet-lite0").detect(in: frame, tiles: []).count))
    }
}
