import Synchronization

/// A fixed row of slots that concurrent tasks fill, each its own index.
final class ResultSlots<Value: Sendable>: Sendable {
    private let storage: Mutex<[Value?]>

    init(count: Int) {
        storage = Mutex([Value?](repeating: nil, count: count))
    }

    subscript(index: Int) -> Value? {
        get { storage.withLock { $0[index] } }
        set { storage.withLock { $0[index] = newValue } }
    }

    var values: [Value?] { storage.withLock { $0 } }
}
