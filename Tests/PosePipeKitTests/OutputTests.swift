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
