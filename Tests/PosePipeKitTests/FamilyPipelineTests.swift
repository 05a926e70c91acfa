import Foundation
import Testing
@testable import PosePipeKit

/// The five families posepipe trains, each run end to end on real footage from its shipped
/// description.
@Suite struct FamilyPipelineTests {
    /// Family, and the shape of the output its description decodes.
    static let families: [(String, [Int])] = [
        ("hrnet", [1, 17, 64, 48]), ("hourglass", [1, 17, 64, 64]), ("mca", [1, 17, 64, 64]),
        ("mspn", [1, 17, 64, 48]), ("tfpose", [1, 17, 4]),
    ]

    static func shipped(_ family: String) -> Bool {
        FileManager.default.fileExists(atPath: Fixtures.root.appendingPathComponent("Pipelines/\(family)/pipeline.json").path)
    }

    @Test(arguments: families.map(\.0))
    func theExportedGraphHasTheShapesItsDescriptionDeclares(family: String) throws {
        try #require(Self.shipped(family), "Pipelines/\(family)/pipeline.json ships")
        let description = try PipelineDescription.load(family)
        #expect(description.keypoints.name == "coco-17")
        let estimator = try StageFactory(description).makeEstimator()
        let expected = try #require(Self.families.first { $0.0 == family }?.1)
        #expect(estimator.model.outputs[0].shape == expected)
        #expect(estimator.model.input.shape() == [1, 3, 256, family == "hourglass" || family == "mca" ? 256 : 192])
    }

    /// Clear keypoints land on the people BlazePose finds: inside one of its boxes, grown by a tenth.
    @Test(arguments: families.map(\.0))
    func clearKeypointsLieInsideThePeopleTheDefaultPipelineFinds(family: String) throws {
        try #require(Self.shipped(family), "Pipelines/\(family)/pipeline.json ships")
        let reference = try sports2dRun.get()
        let description = try PipelineDescription.load(family)
        let pipeline = try PosePipeline(description: description, options: PipelineOptions(threads: 2, smoothing: .off, maxFrames: 130))
        var results: [FrameResult] = []
        _ = try pipeline.run(try VideoDecoder(source: Fixtures.sports2d)) { results.append($0) }
        var inside = 0, clear = 0
        for (frame, truth) in zip(results[100..<130], reference[100..<130]) {
            let boxes = truth.people.map { p in
                let b = p.box
                return Box(x: b.x - 0.05 * b.width, y: b.y - 0.05 * b.height, width: 1.1 * b.width, height: 1.1 * b.height)
            }
            for person in frame.people {
                for k in person.keypoints where k.score >= description.clearScore {
                    clear += 1
                    if boxes.contains(where: { k.x >= $0.x && k.x <= $0.x + $0.width && k.y >= $0.y && k.y <= $0.y + $0.height }) {
                        inside += 1
                    }
                }
            }
        }
        #expect(clear >= 30 * 17, "\(family): \(clear) clear keypoints on 30 frames with two people")
        #expect(Double(inside) >= 0.9 * Double(clear), "\(family): \(inside) of \(clear) clear keypoints inside a person")
    }
}
