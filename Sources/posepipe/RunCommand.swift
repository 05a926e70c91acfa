import ArgumentParser
import Foundation
import PosePipeKit

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Write the keypoint tracks of a video, or of every video in a folder, as JSON Lines (the default command).",
        discussion: """
            Examples:
              posepipe clip.mp4 -o clip.jsonl
              # one person, with joint angles and an overlay video
              posepipe clip.mp4 -o clip.jsonl --max-people 1 --angles --overlay o.mp4
              # a stream on standard input
              ffmpeg -i cam.mkv -f nut - | posepipe - -o tracks.jsonl
              # a live stream: lines at most a quarter second late, an end after 5 s of silence
              posepipe rtsp://camera.local/stream -o - --max-latency 0.25 --timeout 5 | my-consumer
              # every clip under clips/, two at a time
              posepipe clips/ -o tracks/ --jobs 2 --report report.json
            """
    )

    @Argument(help: "The video: a file, a folder of clips, '-' for a stream on standard input, or any URL FFmpeg opens.")
    var input: String

    @Option(name: .shortAndLong, help: "Where to write the tracks: a file, '-' for standard output, or a folder when the input is a folder.")
    var output: String

    @Flag(name: .shortAndLong, help: "No progress line.")
    var quiet = false

    @OptionGroup(title: "Raw frames") var raw: RawArguments

    @OptionGroup(title: "Live sources") var live: LiveArguments

    @OptionGroup(title: "Extra outputs") var outputs: OutputArguments

    @OptionGroup(title: "Folders of clips") var batch: BatchArguments

    @OptionGroup var pipeline: PipelineArguments

    func run() throws {
        try runStoppable(verbose: pipeline.verbose) { stop in
            guard !live.live || input == "-" else {
                throw PosePipeError.badUsage("--live is for standard input ('-'); \(input) is live when it is a network stream or a device, and never when it is a file")
            }
            var isFolder: ObjCBool = false
            if input != "-", FileManager.default.fileExists(atPath: input, isDirectory: &isFolder), isFolder.boolValue {
                guard raw.raw == nil else { throw PosePipeError.badUsage("--raw reads one stream; \(input) is a folder") }
                guard outputs.overlay == nil else {
                    throw PosePipeError.badUsage("--overlay is for one input; \(input) is a folder (draw a clip's tracks with posepipe render)")
                }
                try BatchRun(input: input, output: output, quiet: quiet, batch: batch, pipeline: pipeline, outputs: outputs, stop: stop).run()
            } else {
                guard !batch.anyGiven else {
                    throw PosePipeError.badUsage("--jobs, --shard, --overwrite and --report are for a folder of clips; \(input) is not a folder")
                }
                try runOne(stop: stop)
            }
        }
    }

    private func runOne(stop: StopRequest) throws {
        try InputGuard.checkOutput(output, isNot: input)
        let description = try pipeline.description()
        if let overlay = outputs.overlay {
            try OutputGuard.refuseOverwriting([input], with: overlay)
            if OutputGuard.isSameFile(output, overlay) { throw PosePipeError.badUsage("-o and --overlay both name \(overlay)") }
        }
        var options = pipeline.options()
        options.maxLatency = live.maxLatency
        // The overlay draws every frame, so frames held back by offline smoothing keep their pixels.
        if outputs.overlay != nil { options.keepsPixels = { _ in true } }
        // A stream may be live: its model sessions are ready before its first frame comes, not after.
        let streamed = input == "-" || input.contains("://")
        let early = streamed ? try PosePipeline(description: description, options: options) : nil
        let decoder = try VideoDecoder(source: input, raw: try raw.format(), timeout: live.timeout, live: live.live, shouldStop: stop.check)
        let engine = try early ?? PosePipeline(description: description, options: options)
        let writer = try TrackWriter(path: output)
        let overlay = try outputs.overlay.map {
            try OverlayWriter(path: $0, info: decoder.info, skeleton: description.keypoints.skeleton, clearScore: description.clearScore)
        }
        let progress = Progress(enabled: !quiet && StandardError.isTerminal, duration: decoder.info.duration)
        let summary: RunSummary
        do {
            let track = {
                try TrackExport.run(decoder, through: engine, into: writer, angles: outputs.angleCalculator(for: description),
                                    alsoTo: overlay.map { o in { try o.add($0.frame, people: $0.people) } },
                                    shouldStop: stop.check) { frame in
                    progress.update(frames: frame.index + 1, pts: frame.pts)
                }
            }
            summary = try overlay.map { try finishing($0, track) } ?? track()
            progress.finish()
        } catch {
            progress.finish()
            // An input found to hold no frame leaves nothing behind: the new file never takes the
            // output's name, and what was there stays as it was.
            try? writer.close()
            throw error
        }
        try writer.close()
        for warning in decoder.warnings { StandardError.line("posepipe: warning: \(input): \(warning)") }
        if let accounts = summary.liveAccount(maxLatency: live.maxLatency) { StandardError.line("posepipe: \(input): \(accounts)") }
        if pipeline.verbose { StandardError.line(summary.report) }
        let written = "\(summary.frames) frames written to \(output == "-" ? "standard output" : output)"
        if let code = stop.exitCode {
            StandardError.line("posepipe: interrupted: \(written)")
            throw ExitCode(code)
        }
        if decoder.timedOut, let timeout = live.timeout {
            StandardError.line("posepipe: \(PosePipeError.sourceStalled(path: input, seconds: timeout)): \(written)")
            throw ExitCode(PosePipeError.sourceStalled(path: input, seconds: timeout).exitCode)
        }
    }
}
