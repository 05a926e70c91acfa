import ArgumentParser
import Foundation
import PosePipeKit

struct PipelinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipelines",
        abstract: "List the pipelines and detectors that ship, one line each: name, pose model, keypoints, detector, licence.",
        discussion: """
            Example:
              posepipe pipelines
              # then run one of them
              posepipe clip.mp4 -o clip.jsonl --pipeline blazepose --detector efficientdet-lite0
            """
    )

    func run() throws {
        let loader = PipelineLoader()
        var rows: [[String]] = [["pipeline", "pose model", "keypoints", "detector", "licence"]]
        for (name, file) in loader.available() {
            do {
                let d = try loader.load(file.path)
                let model = d.pose.map { $0.model?.file ?? "(yours: --model)" } ?? d.detector.multiPose.map { "\($0.model?.file ?? "(yours: --model)") (finds people too)" }
                rows.append([name, model ?? "-", "\(d.keypoints.name) (\(d.keypoints.count))",
                             d.detector.multiPose == nil ? d.detector.name : "(the pose model)", d.license ?? "-"])
            } catch let error as PosePipeError {
                rows.append([name, "invalid: \(error.description)", "", "", ""])
            }
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces))
        }
        print("detectors (--detector): \(loader.detectorNames().joined(separator: ", "))")
        // Which folders were searched tells an install from a checkout (and shows POSEPIPE_PIPELINES).
        print("from: \(loader.folders.map(\.path).joined(separator: ", "))")
    }
}
