// swift-tools-version:6.0
import Foundation
import PackageDescription

// The git revision `posepipe --version` names. Scripts/package/ sets it; other builds (swift build,
// the tests) leave it out and say "unknown". An environment variable, not git run from here:
// SwiftPM caches this manifest's result and would keep an old revision.
let revision = String((ProcessInfo.processInfo.environment["POSEPIPE_REVISION"] ?? "")
    .filter { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })

let package = Package(
    name: "posepipe",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "posepipe", targets: ["posepipe"]),
        .library(name: "PosePipeKit", targets: ["PosePipeKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Debian's FFmpeg 5.1 development packages, found through pkg-config.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat libavcodec libswscale libavutil",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]
        ),
        // ONNX Runtime is loaded with dlopen at run time, so the build needs only the C header
        // that Scripts/setup.sh fetches into .deps/ (git-ignored), never the library itself.
        .target(
            name: "CONNXRuntime",
            cSettings: [.headerSearchPath("../../.deps/onnxruntime/include")],
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // Only the executable depends on it, so a new revision recompiles that target alone.
        .target(
            name: "CPosePipeBuild",
            cSettings: [.define("POSEPIPE_REVISION", to: "\"\(revision)\"")]
        ),
        .target(
            name: "PosePipeKit",
            dependencies: ["CFFmpeg", "CONNXRuntime"]
        ),
        .executableTarget(
            name: "posepipe",
            dependencies: [
                "PosePipeKit",
                "CPosePipeBuild",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "PosePipeKitTests",
            dependencies: ["PosePipeKit"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
