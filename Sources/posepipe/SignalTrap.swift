import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a `StopRequest` for as long as it lives. A Ctrl-C after the first
/// signal ends the process at once, for a person who finds finishing the frames in flight too slow.
/// Another SIGTERM does not: schedulers send it more than once (Slurm at preemption and again when
/// the grace time ends, a job script forwarding it to its child), and SIGKILL when they mean now.
final class SignalTrap {
    private var sources: [any DispatchSourceSignal] = []

    init(stop: StopRequest) {
        let queue = DispatchQueue(label: "posepipe.signals")
        for number in [SIGINT, SIGTERM] {
            // The default action would end the process before the dispatch source saw the signal.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { @Sendable in
                if !stop.record(number) && number == SIGINT {
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
