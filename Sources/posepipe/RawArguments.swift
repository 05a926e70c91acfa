import ArgumentParser
import PosePipeKit

/// Options for headerless frames on standard input (or in a file): `--raw 1280x720 --pix-fmt rgb24 --fps 30`.
struct RawArguments: ParsableArguments {
    // Values are parsed `.unconditional`ly: `--threads -1` is the value -1, which validate()
    // refuses by name, not an unknown option "-1" that leaves --threads "missing a value".
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Read headerless frames of this size instead of a container.", valueName: "WIDTHxHEIGHT"))
    var raw: String?

    @Option(name: .long, help: "With --raw: pixel layout (rgb24, bgr24, gray, or any FFmpeg pixel format name). Default: rgb24.")
    var pixFmt: String?

    @Option(name: .long, parsing: .unconditional, help: "With --raw: frames per second (30, 29.97, 30000/1001). Default: 30.")
    var fps: String?

    func validate() throws {
        guard raw != nil || (pixFmt == nil && fps == nil) else {
            throw ValidationError("--pix-fmt and --fps describe raw frames: they need --raw WIDTHxHEIGHT")
        }
        do {
            _ = try format()
        } catch let error as PosePipeError {
            throw ValidationError(error.description)
        }
    }

    /// The raw frame format, or nil when the input is a container.
    func format() throws -> RawVideoFormat? {
        guard let raw else { return nil }
        return try RawVideoFormat(size: raw, pixelFormat: pixFmt ?? "rgb24", rate: fps ?? "30")
    }
}
