import Foundation
@testable import PosePipeKit

/// Media the tests make at run time from the shipped pedestrians clip (people in every frame).
extension Fixtures {
    /// The first `frames` frames of the pedestrians clip at `size`, H.264, in the container
    /// `path`'s extension names; `extra` goes before the output (e.g. `-movflags +faststart`).
    static func pedestrianClip(_ path: URL, frames: Int, size: String = "320x240", start: Double = 0, extra: [String] = []) throws {
        try ffmpeg(["-ss", String(start), "-i", pedestrians, "-frames:v", String(frames), "-vf", "scale=\(size.replacingOccurrences(of: "x", with: ":"))",
                    "-c:v", "libx264", "-preset", "ultrafast", "-an"] + extra + [path.path])
    }

    /// Keeps the first `fraction` of the file's bytes, as an interrupted copy would.
    static func truncate(_ file: URL, keeping fraction: Double) throws {
        let data = try Data(contentsOf: file)
        try data.prefix(Int(Double(data.count) * fraction)).write(to: file)
    }

    /// Overwrites `count` bytes from the middle of the file with a fixed pseudo-random pattern.
    static func scramble(_ file: URL, count: Int) throws {
        var data = try Data(contentsOf: file)
        var state: UInt32 = 12345
        for offset in data.count / 2 ..< data.count / 2 + count {
            state = state &* 1_103_515_245 &+ 12345
            data[offset] = UInt8(truncatingIfNeeded: state >> 16)
        }
        try data.write(to: file)
    }

    static func size(of file: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int) ?? -1
    }
}
