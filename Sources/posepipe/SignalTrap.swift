import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a `StopRequest` for as long as it lives. A second signal of the
/// same kind ends the process at once, for the case where finishing the frames in flight is too slow.
final class SignalTrap {
    private var sources: [any DispatchSourceSignal] = []

    init(stop: StopRequest) {
        let queue = DispatchQueue(label: "posepipe.signals")
        for number in [SIGINT, SIGTERM] {
            // The default action would end the process before the dispatch source saw the signal.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { @Sendable in
                if !stop.record(number) {
                    signal(number, SIG_DFL)
                    raise(number)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
