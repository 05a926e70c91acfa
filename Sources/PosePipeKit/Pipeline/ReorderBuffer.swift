import Foundation

/// Collects results that parallel workers finish in any order and hands them out strictly by
/// index. Workers more than `window` frames ahead of the oldest missing one wait, which bounds
/// memory when one frame is slow.
final class ReorderBuffer<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [Int: Element] = [:]
    private var nextIndex = 0
    private var total: Int?
    private var cancelled = false
    let window: Int

    init(window: Int) {
        precondition(window > 0)
        self.window = window
    }

    /// Stores the result for `index`; false when the buffer was cancelled or `index` lies past
    /// the end set by `finish(count:)`, so nobody will take it. `beyondWindow` stores it without
    /// waiting for the window: for results that cost next to no memory (a skipped frame's place),
    /// put by a thread that must not wait.
    @discardableResult
    func put(_ element: Element, at index: Int, beyondWindow: Bool = false) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !beyondWindow && !cancelled && !isPastEnd(index) && index >= nextIndex + window { condition.wait() }
        guard !cancelled, !isPastEnd(index) else { return false }
        pending[index] = element
        condition.broadcast()
        return true
    }

    /// The result for the next index, waiting for it; nil after the last one or on cancel.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && pending[nextIndex] == nil && !isPastEnd(nextIndex) {
            condition.wait()
        }
        guard !cancelled, !isPastEnd(nextIndex), let element = pending.removeValue(forKey: nextIndex) else { return nil }
        nextIndex += 1
        condition.broadcast()
        return element
    }

    /// Whether the result for the next index is in now, so `take()` would not wait.
    var hasNext: Bool {
        condition.lock()
        defer { condition.unlock() }
        return pending[nextIndex] != nil
    }

    /// No index at or past `count` will be handed out; the results before it still are. Of
    /// several calls the smallest count holds: a stage that fails at frame n ends the run there
    /// even when the decoder later reports more frames.
    func finish(count: Int) {
        condition.lock()
        total = min(total ?? count, count)
        condition.broadcast()
        condition.unlock()
    }

    private func isPastEnd(_ index: Int) -> Bool {
        total.map { index >= $0 } ?? false
    }

    func cancel() {
        condition.lock()
        cancelled = true
        pending.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
