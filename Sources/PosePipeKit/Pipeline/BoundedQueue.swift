import Foundation

/// A blocking first-in first-out queue with a fixed capacity: the link between two pipeline
/// stages. A full queue makes the producer wait, so a fast decoder cannot run ahead of slow
/// inference and memory stays flat however long the video.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    // At most `capacity` items, so removing from the front is cheap; popped items must not
    // linger in storage, or a queue of video frames holds far more memory than its capacity.
    private var items: [Element] = []
    private var closed = false
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Adds `item`, waiting for room; false when the queue was closed instead.
    @discardableResult
    func push(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !closed && items.count >= capacity { condition.wait() }
        guard !closed else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Adds `item` without waiting: when the queue is full its oldest item makes room and is
    /// returned (a live source's decoder, which must keep the source's pace, hands it on as skipped).
    /// Nothing is added once the queue is closed.
    func pushEvicting(_ item: Element) -> (added: Bool, evicted: Element?) {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return (false, nil) }
        let evicted = items.count >= capacity ? items.removeFirst() : nil
        items.append(item)
        condition.broadcast()
        return (true, evicted)
    }

    /// The oldest item, waiting for one; nil once the queue is closed and empty.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// Whether nothing is queued now.
    var isEmpty: Bool {
        condition.lock()
        defer { condition.unlock() }
        return items.isEmpty
    }

    /// No more pushes: waiting consumers drain what is left, then get nil.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Close and drop what is queued, for cancellation.
    func cancel() {
        condition.lock()
        closed = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
