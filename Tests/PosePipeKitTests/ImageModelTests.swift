import Foundation
import Testing
@testable import PosePipeKit

@Suite struct ImageModelTests {
    /// A regression codec and the regression part may read the same output; both get its values.
    @Test func anOutputAskedForTwiceIsFilledBothTimes() throws {
        let pose = try PipelineDescription.load("blazepose").pose
        let model = try ImageModel(path: try #require(pose.model).path, input: pose.input, outputs: ["Identity", "Identity_1", "Identity"])
        let frame = try #require(try VideoDecoder(source: Fixtures.sports2d).next())
        let outputs = try model.run(frame, crop: RotatedRect(center: Point2(x: 620, y: 260), width: 520, height: 520))
        #expect(outputs.map(\.count) == [195, 1, 195])
        #expect(outputs[0] == outputs[2])
        #expect(outputs[0].allSatisfy { $0.isFinite && abs($0) < 1000 }, "landmarks in input pixels")
    }
}
