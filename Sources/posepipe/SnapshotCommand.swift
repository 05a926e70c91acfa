import ArgumentParser
import PosePipeKit

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Draw one frame's keypoints and skeletons onto a PNG, to check results by eye."
    )

    @Argument(help: "The video.")
    var input: String

    @Option(name: .long, help: "Frame number, from 0.")
    var frame = 0

    @Option(name: .shortAndLong, help: "The PNG to write.")
    var output: String

    @OptionGroup var pipeline: PipelineArguments

    func validate() throws {
        guard frame >= 0 else { throw ValidationError("--frame must be 0 or more") }
    }

    func run() throws {
        try reportingErrors {
            FFmpegLog.configure(verbose: pipeline.verbose)
            let description = try pipeline.description()
            let decoder = try VideoDecoder(source: input)
            // Tracking and smoothing depend on the frames before (and offline smoothing on a few after),
            // so the run starts at frame 0 and goes on as far as a whole run would have when it wrote the frame.
            let lookahead = pipeline.options().lookahead(for: decoder.info)
            var options = pipeline.options(maxFrames: frame + 1 + lookahead)
            options.keepsPixels = { $0 == frame }
            let engine = try PosePipeline(description: description, options: options)
            var last: FrameResult?
            _ = try engine.run(decoder) { if $0.frame.index <= frame { last = $0 } }
            guard let last, last.frame.index == frame else {
                throw PosePipeError.outOfRange("frame \(frame) is past the end of \(input) (\(last.map { $0.frame.index + 1 } ?? 0) frames)")
            }
            var picture = last.frame.uprightRGB()
            SkeletonRenderer(skeleton: description.keypoints.skeleton, minScore: description.pose.clearScore).draw(last.people, on: &picture,
                                                                    width: last.frame.displayWidth, height: last.frame.displayHeight)
            try PNGEncoder.write(rgb: picture, width: last.frame.displayWidth, height: last.frame.displayHeight, to: output)
            print("\(output): frame \(frame) at \(last.frame.pts) s, \(last.people.count) people")
        }
    }
}
