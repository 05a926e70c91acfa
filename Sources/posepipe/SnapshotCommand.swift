import ArgumentParser
import PosePipeKit

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Draw one frame's keypoints and skeletons onto a PNG, to check results by eye.",
        discussion: """
            Examples:
              posepipe snapshot clip.mp4 --frame 120 -o frame.png
              posepipe snapshot clip.mp4 --frame 120 --pipeline mmpose-topdown --model hrnet.onnx -o frame.png
            """
    )

    @Argument(help: "The video.")
    var input: String

    @Option(name: .long, parsing: .unconditional, help: "Frame number, from 0.")
    var frame = 0

    @Option(name: .shortAndLong, help: "The PNG to write, or '-' for standard output.")
    var output: String

    @OptionGroup var pipeline: PipelineArguments

    func validate() throws {
        guard frame >= 0 else { throw ValidationError("--frame must be 0 or more") }
    }

    func run() throws {
        try reportingErrors {
            FFmpegLog.configure(verbose: pipeline.verbose)
            try InputGuard.checkOutput(output, isNot: input)
            let description = try pipeline.description()
            let decoder = try VideoDecoder(source: input)
            // Opened before the run, so an output that cannot be written is said at once.
            let destination = try StreamedOutput(path: output)
            // Tracking and smoothing depend on the frames before (and offline smoothing on a few after),
            // so the run starts at frame 0 and goes on as far as a whole run would have when it wrote the
            // frame (past Int.max there is no frame: that run simply reads the whole video).
            let lookahead = pipeline.options().lookahead(for: decoder.info)
            var options = pipeline.options(maxFrames: frame > Int.max - 1 - lookahead ? Int.max : frame + 1 + lookahead)
            options.keepsPixels = { $0 == frame }
            let engine = try PosePipeline(description: description, options: options)
            var last: FrameResult?
            _ = try engine.run(decoder) { if $0.frame.index <= frame { last = $0 } }
            guard let last, last.frame.index == frame else {
                throw PosePipeError.outOfRange("frame \(frame) is past the end of \(input) (\(last.map { $0.frame.index + 1 } ?? 0) frames)")
            }
            var picture = last.frame.uprightRGB()
            SkeletonRenderer(skeleton: description.keypoints.skeleton, minScore: description.clearScore).draw(last.people, on: &picture,
                                                                    width: last.frame.displayWidth, height: last.frame.displayHeight)
            try PNGEncoder.write(rgb: picture, width: last.frame.displayWidth, height: last.frame.displayHeight, to: destination)
            let summary = "\(output == "-" ? "standard output" : output): frame \(frame) at \(last.frame.pts) s, \(last.people.count) people"
            // On standard output the PNG is the output; the summary must not land inside it.
            if output == "-" { StandardError.line(summary) } else { print(summary) }
        }
    }
}
