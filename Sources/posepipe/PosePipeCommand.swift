import ArgumentParser
import PosePipeKit

@main
struct PosePipeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "posepipe",
        abstract: "Turn video into human keypoint tracks (JSON Lines).",
        discussion: """
            Every person in every frame: FFmpeg decoding, person crops, neural inference, heatmap peaks \
            with quarter-pixel offsets, One Euro smoothing. See the README for the output format.

            Exit codes: 0 done; 64 bad usage; 65 input is not a readable video; 66 input missing or \
            unreadable; 69 model runtime or model missing; 70 inference failed; 73 output not writable; \
            78 invalid pipeline description.
            """,
        subcommands: [RunCommand.self, SnapshotCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

/// Runs `body`, turning posepipe's errors into one line on stderr and their documented exit code.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as PosePipeError {
        StandardError.line("posepipe: \(error.description)")
        throw ExitCode(error.exitCode)
    }
}
