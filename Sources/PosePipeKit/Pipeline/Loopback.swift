/// A declared back edge of the graph, as MediaPipe's `PreviousLoopbackCalculator`: what one pass
/// of a loop sends at its end is what the next pass reads at its start. The only state a loop
/// carries from one frame (or block of frames) to the next.
struct Loopback<Value> {
    /// What the previous pass sent (the initial value before any pass).
    private(set) var previous: Value

    init(_ initial: Value) {
        previous = initial
    }

    /// Hands `value` to the next pass.
    mutating func send(_ value: Value) {
        previous = value
    }
}
