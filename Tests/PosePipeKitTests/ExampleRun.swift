import Foundation
import Testing
@testable import PosePipeKit

/// One example run as a user would run it: by `/bin/sh` in a fresh copy of `ExampleWorkspace`,
/// with `posepipe` on the PATH, then every output it names checked for what it must be.
struct ExampleRun {
    let text: String
    let source: String

    /// Stand-ins for what a CI machine does not have, each as small as it can be:
    /// absolute folders become the workspace's, `~` its `home/`, the scheduler's variables are set,
    /// and an RTSP camera is a local TCP stream that FFmpeg sends the clip to in real time.
    static let folders = ["/shared/": "shared/", "/data/": "data/", "/etc/bash_completion.d/": "etc/bash_completion.d/"]
    static let environment = ["SLURM_ARRAY_TASK_ID": "1", "JOB_COMPLETION_INDEX": "0"]
    static let camera = "rtsp://camera.local/stream"

    /// The line as `/bin/sh` runs it here, or nil (recorded) when it names what has no stand-in.
    func shellCommand() -> String? {
        var command = text
        for (absolute, local) in Self.folders {
            for before in [" ", "\"", "'", "="] { command = command.replacingOccurrences(of: before + absolute, with: before + local) }
            if command.hasPrefix(absolute) { command = local + command.dropFirst(absolute.count) }
        }
        if command.contains(Self.camera) {
            let port = Int.random(in: 20_000..<60_000)
            let url = "tcp://127.0.0.1:\(port)"
            command = "( for i in $(seq 300); do ffmpeg -nostdin -loglevel quiet -re -i video.mp4 -c copy -f mpegts \(url) && break; sleep 0.2; done ) & "
                + command.replacingOccurrences(of: Self.camera, with: "'\(url)?listen=1'")
        }
        let stray = Self.tokens(command).filter { $0.hasPrefix("/") && !$0.hasPrefix("/dev/") }
        guard stray.isEmpty else {
            Issue.record("\(source): \(text): no stand-in for \(stray.joined(separator: ", ")) (ExampleRun.folders)")
            return nil
        }
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/parallel"), command.hasPrefix("parallel ") {
            return Self.sequential(command)
        }
        return command
    }

    /// `parallel [options] COMMAND ::: A B…` as a loop, where GNU parallel is not installed.
    static func sequential(_ command: String) -> String {
        let parts = command.components(separatedBy: " ::: ")
        var words = parts[0].split(separator: " ").dropFirst()
        while let first = words.first, first.hasPrefix("-") { words = words.dropFirst(first == "-j" ? 2 : 1) }
        let body = words.joined(separator: " ").replacingOccurrences(of: "{}", with: "$a")
        return "for a in \(parts.count > 1 ? parts[1] : ""); do \(body) || exit $?; done"
    }

    /// Words of a shell line, quotes removed, `${NAME}` replaced by the environment's value.
    static func tokens(_ line: String) -> [String] {
        line.split(separator: " ").map { word in
            var token = String(word).replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "'", with: "")
            for (name, value) in environment { token = token.replacingOccurrences(of: "${\(name)}", with: value) }
            return token
        }
    }

    /// What the line writes: the values of `-o`, `--overlay` and `--report`, and a `>` redirect
    /// (`posepipe status` reads its `-o`).
    static func outputs(of line: String) -> [String] {
        let words = tokens(line)
        if let at = words.firstIndex(of: "posepipe"), words.index(after: at) < words.endIndex, words[words.index(after: at)] == "status" {
            return words.firstIndex(of: ">").map { [words[$0 + 1]] } ?? []
        }
        var found: [String] = []
        for (index, word) in words.enumerated().dropLast() where ["-o", "--output", "--overlay", "--report", ">"].contains(word) {
            // `~` is the workspace's home/, as the shell expanded it.
            let word = words[index + 1]
            found.append(word.hasPrefix("~/") ? "home/" + word.dropFirst(2) : word)
        }
        return found
    }

    func check() throws {
        guard let command = shellCommand() else { return }
        let folder = try ExampleWorkspace.copy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputs = Self.outputs(of: command)
        // Each example makes its outputs itself: nothing of the template stands in for them.
        for output in outputs where output != "-" { try? FileManager.default.removeItem(at: folder.appendingPathComponent(output)) }
        let (status, stdout, stderr) = try run(command, in: folder)
        #expect(status == 0, "\(source): \(text)\nexit \(status): \(stderr)")
        guard status == 0 else { return }
        let frames = ExampleWorkspace.frames(readBy: Self.tokens(command))
        let outputsLeft = outputs.filter { $0 != "-" }
        for output in outputsLeft { try ExampleOutput(path: folder.appendingPathComponent(output).path, frames: frames, label: "\(source): \(text)").check() }
        if outputs.contains("-") && !command.contains(" > ") {
            let file = folder.appendingPathComponent("standard-output.jsonl")
            try stdout.write(to: file)
            try ExampleOutput(path: file.path, frames: frames, label: "\(source): \(text) (standard output)").check()
        }
        if outputs.isEmpty {
            // `posepipe pipelines`, `posepipe status`: what they print is their output.
            #expect(!stdout.isEmpty, "\(source): \(text) printed nothing")
        }
    }

    private func run(_ command: String, in folder: URL) throws -> (Int32, Data, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["-k", "10", "900", "/bin/sh", "-c", command]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment.merging(Self.environment) { $1 }
        environment["PATH"] = folder.appendingPathComponent("bin").path + ":/usr/bin:/bin"
        environment["HOME"] = folder.appendingPathComponent("home").path
        process.environment = environment
        let out = folder.appendingPathComponent(".stdout"), err = folder.appendingPathComponent(".stderr")
        for file in [out, err] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try Data(contentsOf: out), String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}

/// An example's output checked for what its kind must be: tracks parsed line by line with frame
/// numbers from 0, videos' frames counted with ffprobe, PNGs' size read by ffprobe, SVG parsed
/// as XML, JSON and CSV parsed; a folder's files each so.
struct ExampleOutput {
    let path: String
    /// Frames the input has, when the example reads one video.
    let frames: Int?
    let label: String

    func check() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            Issue.record("\(label): \(path) was not written")
            return
        }
        if isFolder.boolValue {
            let files = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
                .filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: path + "/" + $0, isDirectory: &d) && !d.boolValue }
            #expect(!files.isEmpty, "\(label): \(path) is empty")
            for file in files { try ExampleOutput(path: path + "/" + file, frames: nil, label: label).check() }
            return
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        switch (path as NSString).pathExtension {
        case "jsonl":
            let tracks = try TrackFile(path: path)
            tracks.expectConsecutiveFrames()
            #expect(tracks.frames.count == frames ?? max(1, tracks.frames.count) && !tracks.frames.isEmpty, "\(label): \(tracks.frames.count) frames")
        case "mp4", "mkv", "mov":
            let count = try FFprobe.videoPTS(path).count
            #expect(count == frames ?? max(1, count) && count > 0, "\(label): \(count) frames in \(path)")
        case "png":
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(label): \(path) is not a PNG")
            #expect(try FFprobe.streams(path) == ["png,video,\(ExampleWorkspace.width),\(ExampleWorkspace.height)"], "\(label)")
        case "svg":
            #expect(!(try SVGElements(path: path)).elements.filter { $0.name == "polyline" || $0.name == "rect" }.isEmpty, "\(label)")
        case "json":
            #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "\(label): \(path) is not JSON")
        case "csv":
            #expect(try CSVTable(path: path).columns.first == "frame", "\(label)")
        case "toml":
            #expect(String(decoding: data, as: UTF8.self).contains("[pose]"), "\(label)")
        default:
            #expect(String(decoding: data, as: UTF8.self).contains("posepipe"), "\(label): \(path) holds \(data.count) bytes")
        }
    }
}
