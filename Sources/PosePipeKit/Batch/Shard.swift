/// One machine's share of a batch: `--shard K/N` takes the clips at positions K, K+N, K+2N… of the
/// sorted clip list (K from 0). Every machine sorts the same list the same way, so N machines
/// that share one folder split it without talking to each other, and together cover it once.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// This share, from 0 to `count - 1`.
    public let index: Int
    public let count: Int

    /// The whole list.
    public static let whole = Shard(uncheckedIndex: 0, count: 1)

    /// `K/N` with 0 ≤ K < N.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (0..<count).contains(index) else {
            throw PosePipeError.badUsage("--shard needs K/N with 0 ≤ K < N (K counts from 0), not '\(text)'")
        }
        self.init(uncheckedIndex: index, count: count)
    }

    private init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Whether the clip at `position` in the sorted list is this shard's.
    public func includes(position: Int) -> Bool {
        position % count == index
    }

    /// This shard's items of `list`, in order.
    public func select<T>(_ list: [T]) -> [T] {
        list.enumerated().filter { includes(position: $0.offset) }.map(\.element)
    }

    public var description: String { "\(index)/\(count)" }
}
