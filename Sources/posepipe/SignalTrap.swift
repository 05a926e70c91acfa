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
                    // This handler runs on a dispatch thread, which blocks signals, and every thread
                    // may have inherited a mask blocking this one (test runners start children so):
                    // unblocked here, the signal's default action ends the process at once.
                    var only = sigset_t()
                    sigemptyset(&only)
                    sigaddset(&only, number)
                    pthread_sigmask(SIG_UNBLOCK, &only, nil)
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
