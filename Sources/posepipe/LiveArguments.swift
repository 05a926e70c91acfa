import ArgumentParser
import PosePipeKit

/// Options for live sources (a camera, a network stream, a pipe of unknown length): how late a
/// frame may be, and how long a silent source is waited for.
struct LiveArguments: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Live sources: when posepipe falls behind, skip the pose work of frames that could not be written within this many seconds of arriving, newest first; each skipped frame gets a line marked skipped. inf: never skip. Inputs with an end are never skipped.", valueName: "seconds"))
    var maxLatency = LatencyBound.defaultMaxLatency

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("End the run (exit 74) when the input sends nothing for this many seconds; the frames received are written first. Default: wait as long as it takes.", valueName: "seconds"))
    var timeout: Double?

    @Flag(name: .long, help: "Standard input is a live source (a camera piped through ffmpeg): --max-latency applies to it. Network streams and devices are always live; files never are; standard input otherwise loses nothing, however slow posepipe is.")
    var live = false

    func validate() throws {
        guard maxLatency > 0 else { throw ValidationError("--max-latency must be positive (inf: never skip)") }
        guard (timeout ?? 1) > 0, timeout?.isFinite ?? true else { throw ValidationError("--timeout must be a positive number of seconds") }
    }
}
