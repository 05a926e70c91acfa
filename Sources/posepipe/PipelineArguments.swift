import ArgumentParser
import Foundation
import PosePipeKit

extension Smoothing.Mode: ExpressibleByArgument {}

/// Options shared by every command that runs the pipeline.
struct PipelineArguments: ParsableArguments {
    // Values are parsed `.unconditional`ly: `--threads -1` is the value -1, which validate()
    // refuses by name, not an unknown option "-1" that leaves --threads "missing a value".
    @Option(name: .long, help: "Pipeline description: a name under Pipelines/, a folder, or a pipeline.json path.")
    var pipeline = "blazepose"

    @Option(name: .long, help: ArgumentHelp("Replace the pipeline's pose model by your own ONNX export of the same convention; its input and output sizes are read from the file.", valueName: "file.onnx"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("Person detector: blazepose, efficientdet-lite0 or whole-frame (every frame is one person); `posepipe pipelines` lists them.", valueName: "name"))
    var detector: String?

    @Option(name: .long, help: ArgumentHelp("Run the detector part on your own ONNX export of its convention (YOLOX or RTMDet as rtmlib runs them, EfficientDet-Lite0…); its input size is read from the file.", valueName: "file.onnx"))
    var detectorModel: String?

    @Option(name: .long, help: ArgumentHelp("Keypoint set of the model's output (coco-17, halpe-26, coco-wholebody-133…; default: the pipeline's, or the one whose count matches your --model).", valueName: "name"))
    var keypoints: String?

    @Flag(name: .long, inversion: .prefixedNo, help: "Also run each crop mirrored and average the heatmaps, or the regressed coordinates (MMPose's flip test): steadier keypoints for twice the pose model's work. Default: as the pipeline says (on for hrnet, hourglass and mca).")
    var flipTest: Bool?

    @Option(name: .long, parsing: .unconditional, help: "Inference workers: landmark sessions running the people of a frame in parallel (results do not depend on the number).")
    var threads = 2

    @Option(name: .long, parsing: .unconditional, help: "Run the person detector on every n-th frame (1: every frame; default: about 10 times a second of video); between detections people are followed by their own landmarks.")
    var detectEvery: Int?

    @Option(name: .long, parsing: .unconditional, help: "Tiles across the frame's shorter side that the detector also searches, one per detection, for people too small to find in the whole frame (0: whole frame only).")
    var detectTiles = 2

    @Option(name: .long, parsing: .unconditional, help: "Consecutive frames whose person crops all come from the frame before them and run concurrently; more than 1 delays each frame until its block is complete (1: each frame's crops come from the frame just before).")
    var frameBatch = 1

    @Option(name: .long, help: ArgumentHelp("offline: smooth each keypoint with the frames before and after it (no lag; lines written --smoothing-lag later); online: One Euro filter (each line written at once); none: raw keypoints. Default: offline for files and inputs of known length, online for live streams.", valueName: "mode"))
    var smoothing: Smoothing.Mode?

    @Option(name: .long, help: "Offline smoothing: frequency in Hz at which a keypoint's oscillation is halved (lower: smoother).")
    var offlineCutoff = FixedLagSmoother.defaultParameters.cutoff

    @Option(name: .long, help: "Offline smoothing: seconds of later frames each frame waits for.")
    var smoothingLag = FixedLagSmoother.defaultParameters.lag

    @Flag(name: .long, help: "Keep the model's left and right labels as they come, even where they swap for a stretch of frames.")
    var noSideRepair = false

    @Option(name: .long, parsing: .unconditional, help: "One Euro filter: cutoff frequency in Hz when a keypoint is still (lower: smoother).")
    var minCutoff = TemporalSmoother.defaultParameters.minCutoff

    @Option(name: .long, parsing: .unconditional, help: "One Euro filter: how fast the cutoff rises with speed, in person sizes per second (higher: less lag).")
    var beta = TemporalSmoother.defaultParameters.beta

    @Option(name: .long, parsing: .unconditional, help: "One Euro filter: cutoff frequency in Hz of the speed estimate.")
    var derivativeCutoff = TemporalSmoother.defaultParameters.derivativeCutoff

    @Flag(name: .long, help: "Raw per-frame keypoints: the same as --smoothing none.")
    var noSmoothing = false

    @Option(name: .long, help: ArgumentHelp("At most N people a frame: those already followed first, then the largest newcomers; the others get no pose inference. 1 works like a single-person tool.", valueName: "N"))
    var maxPeople: Int?

    @Flag(name: .long, help: "Let FFmpeg's own warnings through and print per-stage timings at the end.")
    var verbose = false

    func validate() throws {
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be between 1 and 64") }
        guard (detectEvery ?? 1) >= 1 else { throw ValidationError("--detect-every must be 1 or more") }
        guard (1...8).contains(frameBatch) else { throw ValidationError("--frame-batch must be between 1 and 8") }
        guard (0...8).contains(detectTiles) else { throw ValidationError("--detect-tiles must be between 0 and 8") }
        guard (maxPeople ?? 1) >= 1 else { throw ValidationError("--max-people must be 1 or more") }
        guard minCutoff > 0, derivativeCutoff > 0, beta >= 0 else {
            throw ValidationError("--min-cutoff and --derivative-cutoff must be positive, --beta not negative")
        }
        if noSmoothing, let smoothing, smoothing != Smoothing.Mode.none {
            throw ValidationError("--no-smoothing is --smoothing none; it cannot go with --smoothing \(smoothing.rawValue)")
        }
        guard offlineCutoff > 0, offlineCutoff.isFinite else { throw ValidationError("--offline-cutoff must be positive") }
        guard (0...10).contains(smoothingLag) else { throw ValidationError("--smoothing-lag must be between 0 and 10 seconds") }
    }

    /// The pipeline description with `--model`, `--detector`, `--detector-model`, `--keypoints` and
    /// `--flip-test` applied.
    func description() throws -> PipelineDescription {
        let loader = PipelineLoader()
        let description = try loader.load(pipeline)
        for file in [model, detectorModel].compactMap({ $0 }) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
                throw PosePipeError.inputNotFound(path: file)
            }
            guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: file) else {
                throw PosePipeError.inputUnreadable(path: file, reason: isDirectory.boolValue ? "a folder, not a model file" : "permission denied")
            }
            // A named pipe or a device would block ONNX Runtime's open (and Ctrl-C with it) or never end.
            guard FileSystem.status(file)?.isRegularFile == true else {
                throw PosePipeError.inputUnreadable(path: file, reason: "not a regular file, not a model file")
            }
        }
        return try PipelineOverrides(model: model, detector: detector, detectorModel: detectorModel, keypoints: keypoints, flipTest: flipTest)
            .apply(to: description, loader: loader)
    }

    func options(maxFrames: Int? = nil) -> PipelineOptions {
        PipelineOptions(
            threads: threads,
            smoothing: Smoothing(mode: noSmoothing ? Smoothing.Mode.none : smoothing,
                                 online: OneEuroFilter.Parameters(minCutoff: minCutoff, beta: beta, derivativeCutoff: derivativeCutoff),
                                 offline: FixedLagSmoother.Parameters(cutoff: offlineCutoff, lag: smoothingLag)),
            keepSides: !noSideRepair,
            maxFrames: maxFrames,
            detectEvery: detectEvery,
            detectTiles: detectTiles,
            frameBatch: frameBatch,
            maxPeople: maxPeople)
    }
}
