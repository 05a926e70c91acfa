import ArgumentParser
import Foundation
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

            Examples:
              posepipe clip.mp4 -o clip.jsonl
              posepipe render clip.mp4 --tracks clip.jsonl -o overlay.mp4
              posepipe export clip.jsonl --format csv -o clip.csv
              posepipe plot clip.jsonl -o clip.svg
              # where a folder run (sharded or not) stands
              posepipe status clips/ -o tracks/
              posepipe --version        # versions of posepipe, FFmpeg and ONNX Runtime
              # shell completions (bash; also zsh and fish)
              posepipe --generate-completion-script bash > /etc/bash_completion.d/posepipe

            Exit codes: 0 done; 64 bad usage (an output that is the input, too); 65 input is not a \
            readable video, or a track file that cannot be read or was made from another video; 66 input \
            missing or unreadable, or a folder without videos (or track files); 69 model runtime or model \
            missing; 70 inference failed; 73 output not writable; 75 some clips (or track files) of a \
            folder failed or were left to another run (the others are done); 78 invalid pipeline description; 130 / 143 stopped by \
            SIGINT / SIGTERM (frames so far are written).
            """,
        subcommands: [RunCommand.self, SnapshotCommand.self, PipelinesCommand.self, ExportCommand.self, RenderCommand.self, PlotCommand.self, StatusCommand.self],
        defaultSubcommand: RunCommand.self
    )

    /// `posepipe --version` is answered before parsing: ArgumentParser's own flag prints a fixed
    /// string, and this report loads ONNX Runtime, which no other command line should pay for.
    static func main() {
        if Array(CommandLine.arguments.dropFirst()) == ["--version"] { VersionReport.run() }
        main(nil)
    }
}

/// Runs `body`, turning posepipe's errors into one line on stderr and their documented exit code.
/// After a stop signal the signal's code wins, whatever the error it caused on the way out.
func reportingErrors(stop: StopRequest? = nil, _ body: () throws -> Void) throws {
    // A closed reader (`| head`) and a file size limit must reach the writer as errors it can
    // handle (stop quietly; cut back to the last complete line), not end the process mid-line.
    signal(SIGPIPE, SIG_IGN)
    signal(SIGXFSZ, SIG_IGN)
    do {
        try body()
    } catch let error as PosePipeError {
        if let code = stop?.exitCode {
            StandardError.line("posepipe: interrupted")
            throw ExitCode(code)
        }
        // The reader of the output went away: the end of a pipeline, not a failure.
        if case .outputClosed = error { return }
        StandardError.line("posepipe: \(error.description)")
        throw ExitCode(error.exitCode)
    }
}
