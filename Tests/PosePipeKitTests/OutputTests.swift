import Foundation
import Testing
@testable import PosePipeKit

@Suite struct OutputTests {
    @Test func numbersAreRoundedCompactAndFinite() {
        #expect(JSONText.number(1.005, decimals: 2) == "1")  // binary 1.00499…
        #expect(JSONText.number(12.3456, decimals: 2) == "12.35")
        #expect(JSONText.number(-0.001, decimals: 2) == "0")
        #expect(JSONText.number(3, decimals: 3) == "3")
        #expect(JSONText.number(.nan, decimals: 2) == "null")
        #expect(JSONText.string("a\"b\\c\n\u{1}") == "\"a\\\"b\\\\c\\n\\u0001\"")
    }

    /// The fast number writer gives the digits Foundation's formatter gave, so tracks stay byte-identical.
    @Test func numbersAreWrittenAsFoundationsFormatterWroteThem() {
        func reference(_ value: Double, _ decimals: Int) -> String {
            var text = String(format: "%.\(decimals)f", value)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text == "-0" ? "0" : text
        }
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1.5, 2.5, 1.005, 2.675, 0.125, 0.375, -0.125, 0.0005, 0.00049999, 1e-7, 1e12, 1e12 - 0.5,
                                999_999_999_999.995, 1e15, 1e15 + 0.5, -1e15, 999_999_999_999_999, 1e19, -9.3e18,
                                1e300, -1e300, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude]
        for _ in 0..<20_000 {
            let magnitude = pow(10, Double.random(in: -4...16, using: &generator))
            values.append(Double.random(in: -magnitude...magnitude, using: &generator))
            values.append((Double(Int.random(in: -100_000...100_000, using: &generator)) + 0.5) / 100)  // halves of the last digit
        }
        for value in values {
            for decimals in [0, 1, 2, 3, 6, 9] {
                #expect(JSONText.number(value, decimals: decimals) == reference(value, decimals), "\(value) to \(decimals)")
            }
        }
    }

    @Test func frameLineIsValidJSONWithEveryField() throws {
        let person = TrackedPerson(id: 3, score: 0.98765, keypoints: [Keypoint(x: 10, y: 20, score: 1), Keypoint(x: 30.126, y: 5, score: 0.5)])
        let line = TrackRecord.frame(index: 7, pts: 0.2333333333, people: [person])
        #expect(line == #"{"frame":7,"pts":0.233333,"persons":[{"id":3,"score":0.988,"box":[10,5,20.1,15],"keypoints":[[10,20,1],[30.13,5,0.5]]}]}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(parsed?["frame"] as? Int == 7)
        #expect(TrackRecord.frame(index: 0, pts: 0, people: []) == #"{"frame":0,"pts":0,"persons":[]}"#)
    }

    @Test func writerFailsCleanlyOnAnUnwritablePath() {
        #expect(throws: PosePipeError.self) { try TrackWriter(path: "/nonexistent-dir/out.jsonl") }
    }
}
