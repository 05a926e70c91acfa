import Foundation
import Testing
@testable import PosePipeKit

@Suite struct BoundedQueueTests {
    @Test func blocksTheProducerAtCapacityAndDrainsAfterClose() async {
        let queue = BoundedQueue<Int>(capacity: 2)
        #expect(queue.push(1) && queue.push(2))
        let pushed = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            queue.push(3)
            pushed.signal()
        }
        #expect(pushed.wait(timeout: .now() + 0.2) == .timedOut, "a full queue must make the producer wait")
        #expect(queue.pop() == 1)
        #expect(pushed.wait(timeout: .now() + 5) == .success)
        queue.close()
        #expect(queue.pop() == 2 && queue.pop() == 3 && queue.pop() == nil)
        #expect(!queue.push(4))
    }
}
