import Foundation
@testable import PosePipeKit

/// A folder holding every file the README's and help's examples name, made from the fixtures:
/// `video.mp4`, `clip.mp4`, `cam01.mp4` (sports2d's first 125 frames at 1280×720, with its audio:
/// enough for `--frame 120`), `cam.mkv` (the same, remuxed), their tracks (`tracks.jsonl`,
/// `clip.jsonl`, `cam01.mp4.jsonl`), a folder of two 30-frame clips (`clips/`, and as `/shared/clips`
/// and `/data/clips` under `shared/` and `data/`), a folder of track files (`tracks/`), the models
/// the "bring your own model" examples name (`userModels`), and `home/` for `~`.
enum ExampleWorkspace {
    static let videoFrames = 125
    static let clipFrames = 30
    static let width = 1280, height = 720

    struct Failure: Error, Sendable { var message: String }

    /// Made once per test run; every example gets a fresh copy.
    static let template: Result<URL, Failure> = Result { try make() }.mapError { Failure(message: "\($0)") }

    static let videos = ["video.mp4", "clip.mp4", "cam01.mp4", "cam.mkv"]
    static let trackFiles = ["tracks.jsonl", "clip.jsonl", "cam01.mp4.jsonl"]

    /// The files the "bring your own model" examples name: the shipped MMPose-convention HRNet,
    /// and the small synthetic exports of each tool's format the model tests use.
    static var userModels: [String: String] {
        let synthetic = { (name: String) in Fixtures.folder.appendingPathComponent("models/" + name).path }
        let hrnet = Fixtures.root.appendingPathComponent("Pipelines/hrnet/hrnet.onnx").path
        return ["hrnet.onnx": hrnet, "hrnet_w32_coco.onnx": hrnet,
                "rtmpose-m.onnx": synthetic("rtmpose-synthetic.onnx"), "rtmpose-m_halpe26.onnx": synthetic("rtmpose-halpe26-synthetic.onnx"),
                "yolox-m.onnx": synthetic("yolox-e2e-synthetic.onnx"), "rtmdet-nano.onnx": synthetic("rtmdet-e2e-synthetic.onnx"),
                "rtmo-s.onnx": synthetic("rtmo-synthetic.onnx"), "yolo11n-pose.onnx": synthetic("yolo-pose-synthetic.onnx")]
    }

    private static func make() throws -> URL {
        let root = Fixtures.scratch().appendingPathComponent("template")
        let fm = FileManager.default
        for folder in ["clips/b", "tracks/b", "shared/reports", "data", "home/.zfunc", "home/.config/fish/completions", "etc/bash_completion.d", "bin"] {
            try fm.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let video = root.appendingPathComponent("video.mp4").path
        try Fixtures.ffmpeg(["-i", Fixtures.sports2d, "-frames:v", String(videoFrames), "-vf", "scale=\(width):\(height)", "-c:v", "libx264",
                             "-preset", "ultrafast", "-c:a", "copy", video])
        for copy in ["clip.mp4", "cam01.mp4"] { try fm.copyItem(atPath: video, toPath: root.appendingPathComponent(copy).path) }
        try Fixtures.ffmpeg(["-i", video, "-c", "copy", root.appendingPathComponent("cam.mkv").path])
        for (name, start) in [("clips/a.mp4", 0.0), ("clips/b/c.mp4", 4.0)] {
            try Fixtures.ffmpeg(["-ss", String(start), "-i", Fixtures.sports2d, "-frames:v", String(clipFrames), "-vf", "scale=640:360",
                                 "-c:v", "libx264", "-preset", "ultrafast", "-an", root.appendingPathComponent(name).path])
        }
        for place in ["shared/clips", "data/clips"] { try fm.copyItem(at: root.appendingPathComponent("clips"), to: root.appendingPathComponent(place)) }

        let tracks = root.appendingPathComponent("tracks.jsonl").path
        let run = try CLI.run([video, "-o", tracks, "--quiet"])
        guard run.status == 0 else { throw PosePipeError.inferenceFailed("the examples' tracks: \(run.stderr)") }
        for copy in ["clip.jsonl", "cam01.mp4.jsonl", "tracks/a.mp4.jsonl", "tracks/b/c.mp4.jsonl"] {
            try fm.copyItem(atPath: tracks, toPath: root.appendingPathComponent(copy).path)
        }
        for (name, model) in userModels { try fm.createSymbolicLink(atPath: root.appendingPathComponent(name).path, withDestinationPath: model) }
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("bin/posepipe").path, withDestinationPath: CLI.binary)
        // The README's `| my-consumer` reads the tracks: cat passes them on to be checked.
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("bin/my-consumer").path, withDestinationPath: "/bin/cat")
        return root
    }

    /// A fresh copy of the template.
    static func copy() throws -> URL {
        let folder = Fixtures.scratch()
        try FileManager.default.removeItem(at: folder)
        try FileManager.default.copyItem(at: try template.get(), to: folder)
        return folder
    }

    /// Frames of the video a command reads, when it names one (nil: not known from the line).
    static func frames(readBy arguments: [String]) -> Int? {
        if arguments.contains(where: { videos.contains($0) || $0.hasPrefix("tcp://") || $0.hasPrefix("'tcp://") }) { return videoFrames }
        return nil
    }
}
