import Foundation
import Testing
@testable import PosePipeKit

/// Ways of running `posepipe` that `CLI.run` does not cover: fed by another process, fed bytes,
/// left running to be signalled, or measured.
extension CLI {
    /// `ffmpeg … -f FORMAT - | posepipe ARGUMENTS`; the producer's arguments end with its output `-`.
    static func run(_ arguments: [String], fedByFFmpeg producerArguments: [String]) throws -> Outcome {
        let feed = Pipe()
        let producer = Process()
        producer.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        producer.arguments = ["-nostdin", "-hide_banner", "-loglevel", "error"] + producerArguments
        producer.standardOutput = feed
        producer.standardInput = FileHandle.nullDevice
        try producer.run()
        let outcome = try run(arguments, input: feed, closingWriteEnd: true)
        producer.waitUntilExit()
        return outcome
    }

    /// `posepipe ARGUMENTS < bytes`: the bytes are written from another thread, then the pipe closed.
    static func run(_ arguments: [String], feeding bytes: Data) throws -> Outcome {
        // posepipe may refuse its input before reading it all; the write must then fail, not
        // end the test process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let feed = Pipe()
        let writer = feed.fileHandleForWriting
        let done = DispatchSemaphore(value: 0)
        Thread {
            try? writer.write(contentsOf: bytes)
            try? writer.close()
            done.signal()
        }.start()
        let outcome = try run(arguments, input: feed, closingWriteEnd: false)
        done.wait()
        return outcome
    }

    /// - Parameter closingWriteEnd: whether the write end is ours only (another process writes to
    ///   its own copy) and must be closed, or a thread of ours still writes and closes it.
    private static func run(_ arguments: [String], input: Pipe, closingWriteEnd: Bool) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        // stderr goes to a file: two pipes read one after the other could fill and block the child.
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("posepipe-stderr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: errFile) }
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errFile)
        process.standardInput = input
        try process.run()
        // Our copy of the write end would keep the child from ever seeing the end of its input.
        if closingWriteEnd { try? input.fileHandleForWriting.close() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: try Data(contentsOf: errFile), as: UTF8.self))
    }

    /// Starts posepipe and returns at once, stderr going to `stderrFile`, for tests that signal it.
    static func start(_ arguments: [String], stdin: Any = FileHandle.nullDevice, stderrFile: URL) throws -> Process {
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
        return process
    }

    /// Runs posepipe and returns its exit status and peak resident memory.
    ///
    /// Measured by a small Python parent (`RUSAGE_CHILDREN` after the wait): a child spawned
    /// straight from this test process would not do, because posix_spawn shares the parent's
    /// memory until exec and Linux then records the parent's peak (gigabytes, with the other
    /// suites' results) as the child's.
    static func runMeasuringMemory(_ arguments: [String]) throws -> (status: Int32, peakBytes: Int) {
        let script = """
            import resource, subprocess, sys
            quiet = subprocess.DEVNULL
            status = subprocess.run(sys.argv[1:], stdin=quiet, stdout=quiet, stderr=quiet).returncode
            print(status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, binary] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard fields.count == 2 else { throw PosePipeError.inferenceFailed("no measurement: \(text)") }
        // ru_maxrss is in kilobytes on Linux.
        return (Int32(fields[0]), fields[1] * 1024)
    }
}
