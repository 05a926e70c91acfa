import ArgumentParser
import Foundation
import PosePipeKit

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Write the keypoint tracks of a video as JSON Lines (the default command)."
    )

    @Argument(help: "The video: a file, '-' for a stream on standard input, or any URL FFmpeg opens.")
    var input: String

    @Option(name: .shortAndLong, help: "Where to write the tracks ('-' for standard output).")
    var output: String

    @Flag(name: .shortAndLong, help: "No progress line.")
    var quiet = false

    @OptionGroup var pipeline: PipelineArguments

    func run() throws {
        try reportingErrors {
            FFmpegLog.configure(verbose: pipeline.verbose)
            let description = try PipelineDescription.load(pipeline.pipeline)
            let decoder = try VideoDecoder(source: input)
            let engine = try PosePipeline(description: description, options: pipeline.options())
            let writer = try TrackWriter(path: output)
            try writer.write(TrackRecord.header(info: decoder.info, pipeline: description))
            let progress = Progress(enabled: !quiet && StandardError.isTerminal, duration: decoder.info.duration)
            let summary = try engine.run(decoder) { result in
                try writer.write(TrackRecord.frame(index: result.frame.index, pts: result.frame.pts, people: result.people))
                progress.update(frames: result.frame.index + 1, pts: result.frame.pts)
            }
            progress.finish()
            if summary.corruptPackets > 0 {
                StandardError.line("posepipe: warning: skipped \(summary.corruptPackets) undecodable packets in \(input)")
            }
            if pipeline.verbose { StandardError.line(summary.report) }
        }
    }
}
