import Synchronization

/// The error that ends a run whose stages fail on several frames, from whichever threads: the
/// earliest frame's, so the output ends at the first frame that could not be made.
final class FirstFailure: Sendable {
    private let first = Mutex<(frame: Int, error: PosePipeError)?>(nil)

    /// Notes `error` on frame `index`; an error that is not posepipe's is a model's failure.
    func record(_ error: any Error, at index: Int) {
        let stageError = error as? PosePipeError ?? .inferenceFailed(String(describing: error))
        first.withLock { if $0.map({ index < $0.frame }) ?? true { $0 = (index, stageError) } }
    }

    var error: PosePipeError? { first.withLock { $0?.error } }
}
