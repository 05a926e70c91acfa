import PosePipeKit
import Synchronization

/// The first Ctrl-C or SIGTERM, as a request every stage can poll: the decoder stops reading,
/// frames in flight are finished and written, and posepipe exits with 128 + the signal's number.
final class StopRequest: Sendable {
    private let signalNumber = Atomic<Int32>(0)

    /// Records `signal`; false when one was already recorded (a second Ctrl-C).
    func record(_ signal: Int32) -> Bool {
        signalNumber.compareExchange(expected: 0, desired: signal, ordering: .relaxed).exchanged
    }

    var isRequested: Bool { signalNumber.load(ordering: .relaxed) != 0 }

    /// 130 after SIGINT, 143 after SIGTERM, nil while no signal came.
    var exitCode: Int32? {
        let signal = signalNumber.load(ordering: .relaxed)
        return signal == 0 ? nil : ExitStatus.interrupted(signal: signal)
    }

    /// The check to hand the decoder and the pipeline.
    var check: @Sendable () -> Bool {
        { [self] in isRequested }
    }
}
