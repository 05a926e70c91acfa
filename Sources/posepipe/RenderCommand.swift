import ArgumentParser
import Foundation
import PosePipeKit

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write a video with every person's skeleton, box and id drawn over the input.",
        discussion: """
            Examples:
              # run the pipeline and draw its results
              posepipe render clip.mp4 -o overlay.mp4
              # draw an existing track file: no model runs
              posepipe render clip.mp4 --tracks clip.jsonl -o overlay.mp4
              # one run writing both the tracks and the overlay
              posepipe clip.mp4 -o clip.jsonl --overlay overlay.mp4

            One colour per id; joints scored below the pipeline's clear score are drawn faint. H.264 \
            (libx264) when FFmpeg has it, else MPEG-4 part 2; the container follows the output's name \
            (.mp4, .mkv, .mov). Every frame keeps its PTS, the picture is upright as the tracks are, \
            audio is copied from a local input file. The track file must be made from INPUT: its size, \
            frame count and every frame's PTS are checked.
            """
    )

    @Argument(help: "The video.")
    var input: String

    @Option(name: .shortAndLong, help: "The video to write (.mp4, .mkv, .mov).")
    var output: String

    @Option(name: .long, help: ArgumentHelp("Draw this track file (made from INPUT) instead of running the pipeline.", valueName: "tracks.jsonl"))
    var tracks: String?

    @Flag(name: .shortAndLong, help: "No progress line.")
    var quiet = false

    @OptionGroup var pipeline: PipelineArguments

    func run() throws {
        try runStoppable(verbose: pipeline.verbose) { stop in
            try OutputGuard.refuseOverwriting([input] + (tracks.map { [$0] } ?? []), with: output)
            let reader = try tracks.map { try TrackFileReader(path: $0, shouldStop: stop.check) }
            let decoder = try VideoDecoder(source: input, shouldStop: stop.check)
            let progress = Progress(enabled: !quiet && StandardError.isTerminal, duration: decoder.info.duration)
            defer { progress.finish() }
            let frames: Int
            if let reader {
                let writer = try OverlayWriter(path: output, info: decoder.info, skeleton: reader.header.skeleton, clearScore: 0.5)
                frames = try finishing(writer) {
                    try TrackOverlay.check(reader, frameLines: reader.isRegularFile ? TrackFileReader.frameLines(in: reader.path) : nil, against: decoder.info,
                                           listedFrames: writer.encoder.listedFrames)
                    return try TrackOverlay.render(decoder, tracks: reader, into: writer, shouldStop: stop.check) { frame in
                        progress.update(frames: frame.index + 1, pts: frame.pts)
                    }
                }
                for warning in reader.warnings { StandardError.line("posepipe: warning: \(reader.path): \(warning)") }
            } else {
                let description = try pipeline.description()
                var options = pipeline.options()
                // Every frame is drawn, so frames held back by offline smoothing keep their pixels.
                options.keepsPixels = { _ in true }
                let engine = try PosePipeline(description: description, options: options)
                let writer = try OverlayWriter(path: output, info: decoder.info, skeleton: description.keypoints.skeleton,
                                               clearScore: description.clearScore)
                frames = try finishing(writer) {
                    try engine.run(decoder, shouldStop: stop.check) { result in
                        try writer.add(result.frame, people: result.people)
                        progress.update(frames: result.frame.index + 1, pts: result.frame.pts)
                    }.frames
                }
            }
            progress.finish()
            for warning in decoder.warnings { StandardError.line("posepipe: warning: \(input): \(warning)") }
            if let code = stop.exitCode {
                StandardError.line("posepipe: interrupted: \(frames) frames written to \(output)")
                throw ExitCode(code)
            }
        }
    }
}

/// Runs `body`, then finishes `writer`'s video; when `body` fails, the half-written video is
/// removed. After a stop signal the frames so far make a complete, shorter video.
func finishing<T>(_ writer: OverlayWriter, _ body: () throws -> T) throws -> T {
    do {
        let value = try body()
        try writer.finish()
        for warning in writer.warnings { StandardError.line("posepipe: warning: \(writer.encoder.path): \(warning)") }
        return value
    } catch {
        writer.abandon()
        throw error
    }
}
