import PosePipeKit

/// Runs a command's work with SIGINT and SIGTERM turned into a stop request and posepipe's
/// errors reported as one line with their exit code: the frame to every command that reads video.
func runStoppable(verbose: Bool, _ body: (StopRequest) throws -> Void) throws {
    let stop = StopRequest()
    let trap = SignalTrap(stop: stop)
    defer { withExtendedLifetime(trap) {} }
    try reportingErrors(stop: stop) {
        FFmpegLog.configure(verbose: verbose)
        try body(stop)
    }
}
