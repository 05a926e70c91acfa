import Foundation
@testable import PosePipeKit

/// Paths of the shipped real media, resolved from this file so tests run from any directory.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var folder: URL { root.appendingPathComponent("Fixtures") }
    static var sports2d: String { folder.appendingPathComponent("sports2d_demo.mp4").path }
    static var pedestrians: String { folder.appendingPathComponent("vtest_pedestrians.mp4").path }

    /// A fresh scratch folder, removed by the caller's `defer`.
    static func scratch() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("posepipe-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs FFmpeg's command-line tool to make test media; the test fails on its error.
    static func ffmpeg(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-nostdin", "-hide_banner", "-loglevel", "error", "-y"] + arguments
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            throw PosePipeError.inferenceFailed("ffmpeg \(arguments.joined(separator: " ")) failed")
        }
    }

    /// The file's sha256, by coreutils' `sha256sum`.
    static func sha256(of file: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [file.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }
}
