import Foundation

/// Exit codes that are not one error's: the outcome of a whole batch, or of a stop signal.
/// The README's "Exit codes" table lists them with `PosePipeError`'s.
public enum ExitStatus {
    /// Every clip of a batch was processed (or was already).
    public static let success: Int32 = 0
    /// Some clips of a batch failed, or were left to another run processing them; the others
    /// are done. `EX_TEMPFAIL`: a rerun retries exactly those, since the finished ones are skipped.
    public static let partialFailure: Int32 = 75

    /// The shell's convention for a process ended by `signal` (130 for SIGINT, 143 for SIGTERM),
    /// kept when posepipe stops cleanly on it so scripts see the same code either way.
    public static func interrupted(signal: Int32) -> Int32 {
        128 + signal
    }
}
