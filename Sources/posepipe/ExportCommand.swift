import ArgumentParser
import Foundation
import PosePipeKit

extension ExportFormat: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Convert track files to OpenPose JSON (for Pose2Sim), COCO keypoint results or CSV.",
        discussion: """
            Examples:
              # for Pose2Sim: Trial/pose/cam01_json/cam01_000000.json, …
              posepipe export cam01.mp4.jsonl --format openpose -o Trial/pose
              posepipe export tracks.jsonl --format coco -o results.json
              posepipe export tracks.jsonl --format csv --angles -o tracks.csv
              # every *.jsonl under tracks/, mirrored into tables/
              posepipe export tracks/ --format csv -o tables/

            OpenPose: one JSON file per frame in Pose2Sim's layout, and OUT/cam01_keypoints.toml naming \
            the keypoint set as Pose2Sim's pose_model (BLAZEPOSE, COCO_17, HALPE_26, COCO_133). COCO: the 17 COCO keypoints, \
            image_id = frame, with track_id. OpenPose and COCO coordinates count pixel indices (posepipe's \
            minus 0.5); CSV keeps posepipe's. Outputs are written under a temporary name and renamed when \
            complete; the input is never overwritten.
            """
    )

    @Argument(help: "A track file, or a folder: every *.jsonl under it.")
    var input: String

    @Option(name: .long, help: "openpose, coco or csv.")
    var format: ExportFormat

    @Option(name: .shortAndLong, help: "For openpose a folder (Pose2Sim's pose/); for coco and csv a file, or a folder for a folder of track files.")
    var output: String

    @Flag(name: .long, help: "With csv: add Sports2D's joint and segment angles, computed from the keypoints, when the track file has none.")
    var angles = false

    func validate() throws {
        if angles && format != .csv { throw ValidationError("--angles adds columns to the csv format only") }
        if output == "-" { throw ValidationError("export writes files: -o needs a path, not '-'") }
        if input == "-" { throw ValidationError("export reads track files: give a file or a folder, not '-' (standard input)") }
    }

    func run() throws {
        try runStoppable(verbose: false) { stop in
            let conversion = TrackFileConversion(format: format, angles: angles, shouldStop: stop.check)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: input, isDirectory: &isFolder), isFolder.boolValue {
                try exportFolder(conversion)
            } else {
                let summary = try conversion.export(input, to: output)
                report(summary, from: input)
            }
        }
    }

    private func exportFolder(_ conversion: TrackFileConversion) throws {
        var existing: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &existing), !existing.boolValue {
            throw PosePipeError.badUsage("a folder of track files needs an output folder: -o DIR (\(output) is a file)")
        }
        let files = TrackFileConversion.trackFiles(under: input)
        guard !files.isEmpty else { throw PosePipeError.inputUnreadable(path: input, reason: "the folder holds no track files (*.jsonl)") }
        var failed = 0
        var taken = Set<String>()
        for relative in files {
            let source = (input as NSString).appendingPathComponent(relative)
            let target = conversion.output(of: relative, in: output)
            do {
                // Pose2Sim names a camera's folder after the video without extension: two clips
                // differing only in extension would share one.
                let key = format == .openpose ? target + "/" + ExportNaming.stem(ofTrackFile: relative) : target
                guard taken.insert(key).inserted else {
                    throw PosePipeError.badUsage("\(source) would be written where another track file's export went (\(key))")
                }
                try BatchLayout.makeFolder(format == .openpose ? target : (target as NSString).deletingLastPathComponent)
                report(try conversion.export(source, to: target), from: source)
            } catch let error as PosePipeError {
                if case .interrupted = error { throw error }
                StandardError.line("posepipe: \(error.description)")
                failed += 1
            }
        }
        if failed > 0 {
            StandardError.line("posepipe: \(files.count - failed) of \(files.count) track files exported, \(failed) failed")
            throw ExitCode(ExitStatus.partialFailure)
        }
    }

    private func report(_ summary: ExportSummary, from source: String) {
        for warning in summary.warnings { StandardError.line("posepipe: warning: \(source): \(warning)") }
        print("\(source) → \(summary.output): \(summary.frames) frames, \(summary.records) person records")
    }
}
