import Foundation
import Testing
@testable import PosePipeKit

/// Each trained family's real output for one real person crop, decoded by the codec posepipe builds from
/// the family's pipeline.json, equals the published reference decode of the same values
/// (Scripts/references/family_outputs.py → Fixtures/codecs/family-FAMILY.json, decoded by MMPose 1.3.2's own codecs, or the hand-written HRNet/Newell decodes where no package has them).
/// Input pixels to 1e−4 px, scores to 1e−6 (the references keep MMPose's float32 arithmetic).
@Suite struct FamilyOutputDecodeTests {
    struct Recorded: Decodable {
        let model: String
        let modelSha256: String
        let output: String
        let shape: [Int]
        let inputWidth: Int
        let inputHeight: Int
        let float16leBase64: String
        /// Per keypoint [input x, input y, score].
        let keypoints: [[Double]]

        /// The recorded half-precision values, widened exactly to Float.
        var values: [Float] {
            let data = Data(base64Encoded: float16leBase64) ?? Data()
            return stride(from: 0, to: data.count, by: 2).map { i in
                Float(Float16(bitPattern: UInt16(data[data.startIndex + i]) | UInt16(data[data.startIndex + i + 1]) << 8))
            }
        }
    }

    @Test(arguments: FamilyPipelineTests.families.map(\.0))
    func theDecodeOfTheRealOutputIsTheReferenceDecode(family: String) throws {
        try #require(FamilyPipelineTests.shipped(family), "Pipelines/\(family)/pipeline.json ships")
        let recorded: Recorded = try CodecFixtures.load("family-\(family).json")
        let model = Fixtures.root.appendingPathComponent("Pipelines/\(family)/\(recorded.model)")
        try #require(try Fixtures.sha256(of: model) == recorded.modelSha256,
                     "\(family): \(recorded.model) changed; run Scripts/references/family-outputs.sh \(family) to remake the fixture")
        let description = try PipelineDescription.load(family)
        let estimator = try StageFactory(description).makeEstimator()
        #expect(estimator.model.outputs[0].name == recorded.output && estimator.model.outputs[0].shape == recorded.shape)
        let values = recorded.values
        #expect(values.count == recorded.shape.reduce(1, *))
        let decoded: [Keypoint]
        switch estimator.decoder.reader {
        case .heatmaps(let codec, let layout, let shape):
            #expect(layout == .nchw && shape == recorded.shape)
            let heatmaps = Heatmaps(values: values, channels: shape[1], height: shape[2], width: shape[3], layout: layout)
            decoded = codec.decode(heatmaps, inputWidth: recorded.inputWidth, inputHeight: recorded.inputHeight)
        case .coordinates(let codec):
            decoded = codec.decode(values, keypointCount: description.keypoints.count, inputWidth: recorded.inputWidth,
                                   inputHeight: recorded.inputHeight)
        case .simcc:
            Issue.record("\(family) ships no SimCC model")
            return
        }
        #expect(decoded.count == 17 && recorded.keypoints.count == 17)
        var pixels = Deviation(), scores = Deviation()
        for (got, want) in zip(decoded, recorded.keypoints) {
            #expect(pixels.add(got.x, want[0]) && pixels.add(got.y, want[1]) && scores.add(got.score, want[2]))
        }
        #expect(pixels.largest <= 1e-4, "\(family): input pixels differ by \(pixels.largest)")
        #expect(scores.largest <= 1e-6, "\(family): scores differ by \(scores.largest)")
        // The crop holds a person: most reference keypoints fall inside it, so the recorded output is a
        // real pose rather than an untrained model's.
        let inside = recorded.keypoints.filter { $0[0] >= 0 && $0[0] < Double(recorded.inputWidth) && $0[1] >= 0 && $0[1] < Double(recorded.inputHeight) }
        #expect(inside.count >= 15, "\(family): \(inside.count) of 17 reference keypoints inside the crop")
    }
}
