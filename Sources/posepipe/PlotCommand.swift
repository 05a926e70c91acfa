import ArgumentParser
import Foundation
import PosePipeKit

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a track file as an SVG: when each id is seen, x and y of chosen joints, and score, over time.",
        discussion: """
            Examples:
              posepipe plot tracks.jsonl -o plot.svg
              posepipe plot tracks.jsonl --joints left_wrist,right_ankle,nose -o plot.svg
              # a picture of it, for a report
              rsvg-convert plot.svg -o plot.png

            Time in seconds (each frame at its PTS), positions in pixels of the displayed frame (y down). \
            One colour per id, as in overlays; one dash pattern per joint. Lines break where a person \
            is not seen or a joint is not clear (score below 0.5).
            """
    )

    @Argument(help: "A track file.")
    var input: String

    @Option(name: .shortAndLong, help: "The SVG to write.")
    var output: String

    @Option(name: .long, help: ArgumentHelp("Joints whose x and y to plot, by keypoint name. Default: left_wrist,right_ankle.", valueName: "names"))
    var joints: String?

    func validate() throws {
        if !output.lowercased().hasSuffix(".svg") { throw ValidationError("plot writes SVG: -o needs a .svg name") }
    }

    func run() throws {
        try runStoppable(verbose: false) { stop in
            try OutputGuard.refuseOverwriting([input], with: output)
            let reader = try TrackFileReader(path: input, shouldStop: stop.check)
            let names = joints.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                ?? TrackPlot.defaultJoints.filter(reader.header.keypoints.contains)
            let summary = try TrackPlot(joints: names).write(reader, to: output)
            for warning in summary.warnings { StandardError.line("posepipe: warning: \(input): \(warning)") }
            print("\(input) → \(output): \(summary.frames) frames, \(summary.records) ids")
        }
    }
}
