import Foundation
import Testing
@testable import PosePipeKit

/// The `posepipe` binary as a user runs it: exit codes, one-line errors, files written.
enum CLI {
    /// The debug build, else the release build; `POSEPIPE_TEST_BINARY` runs the command-line
    /// tests against another build (an older commit's, to see a regression test fail there).
    static var binary: String {
        if let other = ProcessInfo.processInfo.environment["POSEPIPE_TEST_BINARY"], !other.isEmpty { return other }
        let debug = Fixtures.root.appendingPathComponent(".build/debug/posepipe").path
        return FileManager.default.fileExists(atPath: debug) ? debug : Fixtures.root.appendingPathComponent(".build/release/posepipe").path
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Standard output's bytes, for output that is not text (a PNG).
        var stdoutData = Data()
    }

    /// Runs posepipe to its end (by default with nothing on standard input).
    /// - Parameters:
    ///   - directory: its working directory (the test's own when nil).
    ///   - launcher: a command that runs it (`prlimit --fsize=N`), posepipe's path and arguments appended.
    ///   - environment: variables set for it, on top of the test's own.
    static func run(_ arguments: [String], in directory: URL? = nil, launcher: [String] = [],
                    stdin: FileHandle = FileHandle.nullDevice, environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.executableURL = URL(fileURLWithPath: launcher.first ?? binary)
        process.arguments = launcher.isEmpty ? arguments : Array(launcher.dropFirst()) + [binary] + arguments
        if let directory { process.currentDirectoryURL = directory }
        // stderr goes to a file: reading two pipes one after the other deadlocks once the child
        // fills the one not being read (64 KB of skipped-file lines are enough).
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("posepipe-stderr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: errFile) }
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errFile)
        process.standardInput = stdin
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: try Data(contentsOf: errFile), as: UTF8.self), stdoutData: outData)
    }
}

@Suite struct CommandLineTests {
    /// One line on stderr, naming the problem, and no crash trace.
    func expectOneCleanLine(_ outcome: CLI.Outcome, mentioning text: String) {
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("posepipe: "))
        #expect(outcome.stderr.contains(text), "stderr: \(outcome.stderr)")
        #expect(!outcome.stderr.contains("Fatal error") && !outcome.stderr.contains("Stack dump"))
    }

    @Test func missingInputExits66() throws {
        let outcome = try CLI.run(["/no/such/video.mp4", "-o", "/tmp/posepipe-never-written.jsonl"])
        #expect(outcome.status == 66)
        expectOneCleanLine(outcome, mentioning: "/no/such/video.mp4")
    }

    @Test func textFileNamedMp4Exits65() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = folder.appendingPathComponent("fake.mp4")
        try Data("hello\n".utf8).write(to: fake)
        let outcome = try CLI.run([fake.path, "-o", folder.appendingPathComponent("out.jsonl").path])
        #expect(outcome.status == 65)
        expectOneCleanLine(outcome, mentioning: "not a readable video")
    }

    @Test func unwritableOutputExits73() throws {
        let outcome = try CLI.run([Fixtures.pedestrians, "-o", "/no/such/folder/out.jsonl"])
        #expect(outcome.status == 73)
        expectOneCleanLine(outcome, mentioning: "/no/such/folder/out.jsonl")
    }

    @Test func badOptionIsAUsageError() throws {
        let outcome = try CLI.run([Fixtures.pedestrians, "-o", "-", "--threads", "0"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("--threads"))
    }

    @Test func writesAHeaderAndOneLinePerFrameToStdout() throws {
        let outcome = try CLI.run([Fixtures.pedestrians, "-o", "-", "--quiet"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.count == 81)
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(header["schema"] as? String == "posepipe.tracks")
        #expect(header["width"] as? Int == 768 && header["height"] as? Int == 576)
        #expect((header["keypoints"] as? [String])?.count == 33)
        for (n, line) in lines.dropFirst().enumerated() {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(record["frame"] as? Int == n)
            #expect(abs((record["pts"] as? Double ?? -1) - Double(n) / 10) < 1e-6)
        }
    }

    @Test func snapshotWritesAPNGAndRejectsFramesPastTheEnd() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let png = folder.appendingPathComponent("frame.png")
        let ok = try CLI.run(["snapshot", Fixtures.pedestrians, "--frame", "20", "-o", png.path])
        #expect(ok.status == 0, "stderr: \(ok.stderr)")
        let bytes = [UInt8](try Data(contentsOf: png).prefix(8))
        #expect(bytes == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let past = try CLI.run(["snapshot", Fixtures.pedestrians, "--frame", "500", "-o", png.path])
        #expect(past.status == 64)
        expectOneCleanLine(past, mentioning: "past the end")
    }
}

extension CommandLineTests {
    @Test func snapshotOfTheLastFrameNumberThereIsIsPastTheEndAndDashIsStandardOutput() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let past = try CLI.run(["snapshot", Fixtures.pedestrians, "--frame", "9223372036854775807", "-o", folder.path + "/frame.png"])
        #expect(past.status == 64)
        expectOneCleanLine(past, mentioning: "posepipe: frame 9223372036854775807 is past the end of \(Fixtures.pedestrians) (80 frames)")
        let piped = try CLI.run(["snapshot", Fixtures.pedestrians, "--frame", "3", "-o", "-"], in: folder)
        #expect(piped.status == 0, "stderr: \(piped.stderr)")
        #expect([UInt8](piped.stdoutData.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(piped.stderr.hasPrefix("standard output: frame 3 at 0.3"), "the summary stays out of the PNG: \(piped.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "no file named '-'")
    }

    /// `posepipe … -o - | head -1`: the reader leaving is the normal end of a pipeline.
    @Test func aReaderThatStopsReadingEndsTheRunQuietly() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let errors = folder.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = [Fixtures.pedestrians, "-o", "-", "--quiet"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var received = Data()
        while !received.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            received += chunk
        }
        try out.fileHandleForReading.close()
        process.waitUntilExit()
        #expect(received.count > 100, "the header came")
        #expect(process.terminationReason == .exit && process.terminationStatus == 0,
                "reason \(process.terminationReason.rawValue), status \(process.terminationStatus)")
        #expect(try String(contentsOf: errors, encoding: .utf8).isEmpty)
    }
}
