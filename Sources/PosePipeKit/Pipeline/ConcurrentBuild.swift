import Dispatch

/// Builds `count` values at once on the machine's cores. Opening a model session spends most of
/// its time optimising the graph on one core; a pipeline opens several, and a short clip would
/// otherwise wait for them one by one.
func buildConcurrently<Value: Sendable>(_ count: Int, _ make: @Sendable (Int) throws -> Value) throws -> [Value] {
    let slots = ResultSlots<Result<Value, PosePipeError>>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
        do {
            slots[index] = .success(try make(index))
        } catch {
            slots[index] = .failure(error as? PosePipeError ?? .runtimeUnavailable(String(describing: error)))
        }
    }
    // concurrentPerform runs every index, so every slot is filled.
    return try slots.values.compactMap { try $0?.get() }
}
