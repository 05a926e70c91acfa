import Foundation
@testable import PosePipeKit

/// The reference decodes in Fixtures/codecs/: MMPose 1.3.2's own (Scripts/references/mmpose_references.py), and
/// the hand-written HRNet and Newell decodes that no package has (Scripts/references/codec_reference.py).
enum CodecFixtures {
    static var folder: URL { Fixtures.folder.appendingPathComponent("codecs") }

    static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: data)
    }

    /// Little-endian float32 values, as the script writes them.
    static func floats(base64: String) -> [Float] {
        let data = Data(base64Encoded: base64) ?? Data()
        return stride(from: 0, to: data.count, by: 4).map { i in
            Float(bitPattern: data[i..<(i + 4)].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) })
        }
    }

    struct HeatmapEntry: Decodable {
        let id: String
        let channels: Int
        let height: Int
        let width: Int
        let layout: TensorLayout
        let float32leBase64: String

        var heatmaps: Heatmaps {
            Heatmaps(values: CodecFixtures.floats(base64: float32leBase64), channels: channels, height: height,
                     width: width, layout: layout)
        }
    }

    /// Every recorded heatmap by id.
    static func heatmaps() throws -> [String: Heatmaps] {
        struct File: Decodable { let heatmaps: [HeatmapEntry] }
        let file: File = try load("heatmaps.json")
        return Dictionary(uniqueKeysWithValues: file.heatmaps.map { ($0.id, $0.heatmaps) })
    }

    struct Params: Decodable { let kernel: Int? }

    /// One reference decode: per keypoint [cell x, cell y, input x, input y, score].
    struct Case: Decodable {
        let heatmap: String
        let params: Params
        let inputWidth: Int
        let inputHeight: Int
        let keypoints: [[Double]]
    }

    struct CaseFile: Decodable {
        let source: String
        let cases: [Case]
    }

    static func cases(_ name: String) throws -> [Case] { try load(name, as: CaseFile.self).cases }
}

/// The largest difference seen, checked against a stated tolerance.
struct Deviation {
    private(set) var largest = 0.0

    mutating func add(_ a: Double, _ b: Double) -> Bool {
        let d = abs(a - b)
        largest = max(largest, d.isNaN ? .infinity : d)
        return !d.isNaN
    }
}
