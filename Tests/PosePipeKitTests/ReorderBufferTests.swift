import Foundation
import Testing
@testable import PosePipeKit

@Suite struct ReorderBufferTests {
    @Test func releasesInIndexOrder() {
        let buffer = ReorderBuffer<String>(window: 8)
        buffer.put("c", at: 2)
        buffer.put("a", at: 0)
        buffer.put("b", at: 1)
        buffer.finish(count: 3)
        #expect([buffer.take(), buffer.take(), buffer.take(), buffer.take()] == ["a", "b", "c", nil])
    }

    @Test func holdsBackWorkersTooFarAhead() {
        let buffer = ReorderBuffer<Int>(window: 2)
        let stored = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            buffer.put(5, at: 5)
            stored.signal()
        }
        #expect(stored.wait(timeout: .now() + 0.2) == .timedOut)
        buffer.cancel()
        #expect(stored.wait(timeout: .now() + 5) == .success)
        #expect(buffer.take() == nil)
    }

    /// A detection worker failing on frame 3 ends the run there, but frames 0–2, detected already,
    /// are still handed to the sink, and a worker with a later frame is not left waiting.
    @Test func handsOutEveryResultBeforeAFailure() {
        let buffer = ReorderBuffer<Int>(window: 4)
        buffer.put(10, at: 0)
        buffer.put(12, at: 2)
        buffer.put(13, at: 3)
        buffer.finish(count: 3)
        let refused = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            // Four ahead of the oldest missing frame: before, this waited for room forever.
            if !buffer.put(14, at: 4) { refused.signal() }
        }
        #expect(refused.wait(timeout: .now() + 5) == .success, "a result past the end is refused at once")
        buffer.put(11, at: 1)
        buffer.finish(count: 7)  // the decoder's count, arriving later, does not reopen the end
        #expect([buffer.take(), buffer.take(), buffer.take(), buffer.take()] == [10, 11, 12, nil])
    }
}
