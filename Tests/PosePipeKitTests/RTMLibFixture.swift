import Foundation
@testable import PosePipeKit

/// What rtmlib 0.0.16 itself gave for the synthetic exports (Scripts/references/rtmlib-references.sh →
/// Fixtures/rtmlib/expected.json).
struct RTMLibFixture: Decodable {
    struct SimCC: Decodable {
        var keypoints: Int
        var xBins: Int
        var yBins: Int
        var x: [Double]
        var y: [Double]
        var locations: [[Double]]
        var scores: [Double]
    }

    struct Crop: Decodable {
        var frame: Int
        var box: [Double]
        var center: [Double]
        var scale: [Double]
        var warp: [[Double]]
        /// (row, column, channel, value) of the normalised tensor, HWC.
        var sample: [[Double]]
    }

    struct DetectorBoxes: Decodable {
        var model: String
        var frame: Int
        var boxes: [[Double]]
    }

    struct Run: Decodable {
        struct Frame: Decodable {
            var frame: Int
            var boxes: [[Double]]
            var keypoints: [[[Double]]]
            var scores: [[Double]]
        }
        var name: String
        var frames: [Frame]
    }

    struct MultiPerson: Decodable {
        var frame: Int
        var keypoints: [[[Double]]]
        var scores: [[Double]]
    }

    var models: [String: String]
    var simcc: [SimCC]
    var crops: [Crop]
    var detectors: [DetectorBoxes]
    var runs: [Run]
    var rtmo: [MultiPerson]

    static func load() throws -> RTMLibFixture {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let fixture = try decoder.decode(RTMLibFixture.self, from: Data(contentsOf: Fixtures.folder.appendingPathComponent("rtmlib/expected.json")))
        for (name, sha) in fixture.models where try Fixtures.sha256(of: model(name)) != sha {
            throw FixtureError(message: "\(name) changed: run Scripts/references/rtmlib-references.sh to remake Fixtures/rtmlib/expected.json")
        }
        return fixture
    }

    static func model(_ name: String) -> URL { Fixtures.folder.appendingPathComponent("models/\(name)") }
    static var video: String { Fixtures.folder.appendingPathComponent("mmpose/person.mkv").path }

    func run(_ name: String) throws -> Run {
        guard let run = runs.first(where: { $0.name == name }) else { throw FixtureError(message: "no run \(name)") }
        return run
    }

    /// The decoded frames of the fixture clip, as posepipe reads them.
    static func frames() throws -> [VideoFrame] {
        let decoder = try VideoDecoder(source: video)
        var frames: [VideoFrame] = []
        while let frame = try decoder.next() { frames.append(frame) }
        return frames
    }

    struct FixtureError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
