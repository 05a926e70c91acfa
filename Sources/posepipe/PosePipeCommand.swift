import ArgumentParser
import PosePipeKit

@main
struct PosePipeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "posepipe",
        abstract: "Turn video into human keypoint tracks (JSON Lines).",
        discussion: """
            Every person in every frame: FFmpeg decoding, person crops, neural inference, sub-pixel heatmap \
            decoding, tracks that keep left and right apart, smoothing (offline for files, One Euro for live \
            streams). See the README for the output format.

            Exit codes: 0 done; 64 bad usage; 65 input is not a readable video; 66 input missing or \
            unreadable, or a folder without videos; 69 model runtime or model missing; 70 inference failed; \
            73 output not writable; 75 some clips of a folder failed (the others are done); 78 invalid \
            pipeline description; 130 / 143 stopped by SIGINT / SIGTERM (frames so far are written).
            """,
        subcommands: [RunCommand.self, SnapshotCommand.self, PipelinesCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

/// Runs `body`, turning posepipe's errors into one line on stderr and their documented exit code.
/// After a stop signal the signal's code wins, whatever the error it caused on the way out.
func reportingErrors(stop: StopRequest? = nil, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as PosePipeError {
        if let code = stop?.exitCode {
            StandardError.line("posepipe: interrupted")
            throw ExitCode(code)
        }
        StandardError.line("posepipe: \(error.description)")
        throw ExitCode(error.exitCode)
    }
}
