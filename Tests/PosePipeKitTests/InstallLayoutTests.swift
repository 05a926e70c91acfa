import Foundation
import Testing
@testable import PosePipeKit

/// Where posepipe finds its pipelines and ONNX Runtime: an install's own folders, a checkout
/// build's, the environment's. On made-up folder trees, without ONNX Runtime; the real install
/// is tested by Scripts/package/test-package.sh.
@Suite struct InstallLayoutTests {
    /// Makes `paths` under a new scratch folder: a path ending in "/" is a folder, any other an
    /// empty file.
    func tree(_ paths: [String]) throws -> URL {
        let root = Fixtures.scratch().resolvingSymlinksInPath()
        for path in paths {
            let url = root.appendingPathComponent(path)
            if path.hasSuffix("/") {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } else {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                _ = FileManager.default.createFile(atPath: url.path, contents: Data())
            }
        }
        return root
    }

    @Test func anInstallUsesItsOwnFoldersEvenInsideACheckout() throws {
        // A staged install inside a checkout (as Scripts/package/package.sh makes one) must not
        // fall back to the checkout's files above it.
        let root = try tree(["Pipelines/", ".deps/onnxruntime/lib/libonnxruntime.so.1",
                             "stage/usr/bin/", "stage/usr/share/posepipe/Pipelines/",
                             "stage/usr/lib/posepipe/libonnxruntime.so.1"])
        defer { try? FileManager.default.removeItem(at: root) }
        let locator = ResourceLocator(executableFolder: root.appendingPathComponent("stage/usr/bin"))
        #expect(locator.installPrefix?.path == root.appendingPathComponent("stage/usr").path)
        #expect(locator.pipelines?.path == root.appendingPathComponent("stage/usr/share/posepipe/Pipelines").path)
        #expect(locator.onnxRuntimeLibrary?.path == root.appendingPathComponent("stage/usr/lib/posepipe/libonnxruntime.so.1").path)
    }

    @Test func aCheckoutBuildFindsTheCheckoutAboveIt() throws {
        let root = try tree(["Pipelines/", ".deps/onnxruntime/lib/libonnxruntime.so.1",
                             ".build/x86_64-unknown-linux-gnu/release/"])
        defer { try? FileManager.default.removeItem(at: root) }
        let locator = ResourceLocator(executableFolder: root.appendingPathComponent(".build/x86_64-unknown-linux-gnu/release"))
        #expect(locator.installPrefix == nil)
        #expect(locator.pipelines?.path == root.appendingPathComponent("Pipelines").path)
        #expect(locator.onnxRuntimeLibrary?.path == root.appendingPathComponent(".deps/onnxruntime/lib/libonnxruntime.so.1").path)
    }

    @Test func aBinFolderWithoutShareIsNoInstall() throws {
        let root = try tree(["Pipelines/", "opt/bin/"])
        defer { try? FileManager.default.removeItem(at: root) }
        let locator = ResourceLocator(executableFolder: root.appendingPathComponent("opt/bin"))
        #expect(locator.installPrefix == nil)
        #expect(locator.pipelines?.path == root.appendingPathComponent("Pipelines").path)
        #expect(locator.onnxRuntimeLibrary == nil)
    }

    @Test func theEnvironmentComesFirst() throws {
        let root = try tree(["usr/bin/", "usr/share/posepipe/Pipelines/", "usr/lib/posepipe/libonnxruntime.so.1"])
        defer { try? FileManager.default.removeItem(at: root) }
        let locator = ResourceLocator(executableFolder: root.appendingPathComponent("usr/bin"))
        let shipped = root.appendingPathComponent("usr/share/posepipe/Pipelines").path
        let folders = PipelineLoader.defaultFolders(locator: locator, environment: ["POSEPIPE_PIPELINES": "/a:/b"])
        #expect(folders.map(\.path) == ["/a", "/b", shipped])
        #expect(PipelineLoader.defaultFolders(locator: locator, environment: [:]).map(\.path) == [shipped])
        #expect(ONNXRuntime.libraryCandidates(locator: locator, environment: ["POSEPIPE_ONNXRUNTIME": "/x/libort.so"]) == ["/x/libort.so"])
        #expect(ONNXRuntime.libraryCandidates(locator: locator, environment: [:])
            == [root.appendingPathComponent("usr/lib/posepipe/libonnxruntime.so.1").path, "libonnxruntime.so.1"])
    }

    @Test func ffmpegVersionsUnpack() {
        // AV_VERSION_INT(59, 27, 100), libavformat's in Debian bookworm.
        #expect(FFmpegVersion.dotted((59 << 16) | (27 << 8) | 100) == "59.27.100")
    }

    @Test func versionNamesPosepipeFFmpegAndONNXRuntime() throws {
        let outcome = try CLI.run(["--version"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 3, "stdout: \(outcome.stdout)")
        #expect(lines[0].wholeMatch(of: /posepipe \d+\.\d+\.\d+ \(revision [^ ()]+\)/) != nil, "\(lines[0])")
        #expect(lines[1].hasPrefix("FFmpeg 5.1.") && lines[1].contains("libavformat 59."), "\(lines[1])")
        let library = Fixtures.root.appendingPathComponent(".deps/onnxruntime/lib/libonnxruntime.so.1").path
        #expect(lines[2] == "ONNX Runtime 1.31.1 (\(library))")
    }

    @Test func versionWithoutTheRuntimeSaysSoAndExits69() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["--version"]
        var environment = ProcessInfo.processInfo.environment
        environment["POSEPIPE_ONNXRUNTIME"] = "/no/such/libonnxruntime.so.1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 69)
        #expect(stdout.split(separator: "\n").count == 2, "what is known is still printed: \(stdout)")
        #expect(stderr.split(separator: "\n").count == 1)
        #expect(stderr.hasPrefix("posepipe: cannot load the model runtime: ") && stderr.contains("/no/such/libonnxruntime.so.1"))
    }
}
