import Foundation

/// Finds and reads pipeline descriptions and the parts they name: keypoint sets
/// (`Pipelines/keypoints/NAME.json`) and detectors (`Pipelines/detectors/NAME/detector.json`).
///
/// Every problem becomes `PosePipeError.invalidPipeline` with the file, the JSON path of the
/// field and the reason, so a bad description exits 78 with one line and nothing runs.
public struct PipelineLoader: Sendable {
    /// Environment variable naming extra folders of pipeline descriptions.
    public static let searchPathVariable = "POSEPIPE_PIPELINES"

    /// Folders searched for named pipelines and parts, first match wins.
    public var folders: [URL]

    public init(folders: [URL]? = nil) {
        self.folders = folders ?? Self.defaultFolders()
    }

    /// The folders of `POSEPIPE_PIPELINES`, then the `Pipelines/` that ships with the executable
    /// (`ResourceLocator`).
    public static func defaultFolders(locator: ResourceLocator = ResourceLocator(),
                                      environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
        var folders: [URL] = []
        if let extra = environment[searchPathVariable] {
            folders += extra.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        }
        if let shipped = locator.pipelines { folders.append(shipped) }
        return folders
    }

    /// Reads a description from a `pipeline.json` path, a folder holding one, or the name of a
    /// folder under one of `folders`.
    public func load(_ nameOrPath: String) throws -> PipelineDescription {
        let url = try locate(nameOrPath)
        let data = try read(url)
        let decoder = JSONDecoder()
        decoder.userInfo[.partContext] = PartContext(loader: self, folder: url.deletingLastPathComponent())
        do {
            return try decoder.decode(PipelineFile.self, from: data).description
        } catch {
            throw PosePipeError.invalidPipeline("\(url.path): \(DescriptionError.from(error))")
        }
    }

    /// Every description found under `folders`, by name, first folder first.
    public func available() -> [(name: String, file: URL)] {
        var seen = Set<String>()
        var found: [(String, URL)] = []
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where !seen.contains(name) {
                let file = folder.appendingPathComponent(name).appendingPathComponent("pipeline.json")
                if FileManager.default.fileExists(atPath: file.path) {
                    seen.insert(name)
                    found.append((name, file))
                }
            }
        }
        return found
    }

    /// The named detector part, e.g. for `--detector`.
    public func detector(named name: String) throws -> DetectorDescription {
        if name == "whole-frame" { return .wholeFrame }
        let url = try part("detectors/\(name)/detector.json", what: "detector", name: name)
        let decoder = JSONDecoder()
        decoder.userInfo[.partContext] = PartContext(loader: self, folder: url.deletingLastPathComponent())
        do {
            return try decoder.decode(DetectorFile.self, from: read(url)).detector
        } catch {
            throw PosePipeError.invalidPipeline("\(url.path): \(DescriptionError.from(error))")
        }
    }

    /// The detector names available to `--detector`.
    public func detectorNames() -> [String] {
        var names: Set<String> = ["whole-frame"]
        for folder in folders {
            let parts = folder.appendingPathComponent("detectors")
            for name in (try? FileManager.default.contentsOfDirectory(atPath: parts.path)) ?? []
            where FileManager.default.fileExists(atPath: parts.appendingPathComponent(name).appendingPathComponent("detector.json").path) {
                names.insert(name)
            }
        }
        return names.sorted()
    }

    /// The named keypoint set.
    public func keypointSet(named name: String) throws -> KeypointSet {
        let url = try part("keypoints/\(name).json", what: "keypoint set", name: name)
        do {
            return try JSONDecoder().decode(KeypointSet.self, from: read(url))
        } catch {
            throw PosePipeError.invalidPipeline("\(url.path): \(DescriptionError.from(error))")
        }
    }

    private func part(_ relative: String, what: String, name: String) throws -> URL {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw DescriptionError(path: "", reason: "'\(name)' is not a \(what) name")
        }
        for folder in folders {
            let url = folder.appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw DescriptionError(path: "", reason: "no \(what) named '\(name)' (looked in \(folderList))")
    }

    private func locate(_ nameOrPath: String) throws -> URL {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDirectory) {
            let url = URL(fileURLWithPath: nameOrPath)
            return isDirectory.boolValue ? url.appendingPathComponent("pipeline.json") : url
        }
        if !nameOrPath.contains("/") {
            for folder in folders {
                let candidate = folder.appendingPathComponent(nameOrPath).appendingPathComponent("pipeline.json")
                if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            }
        }
        throw PosePipeError.invalidPipeline("no pipeline named '\(nameOrPath)' (looked in \(folderList); `posepipe pipelines` lists them)")
    }

    private var folderList: String {
        folders.isEmpty ? "no Pipelines/ folder and \(Self.searchPathVariable) unset" : folders.map(\.path).joined(separator: ", ")
    }

    private func read(_ url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw PosePipeError.invalidPipeline("cannot read \(url.path)")
        }
    }
}

/// What the parts of one file need from the loader: where relative paths start and where named
/// parts are found.
struct PartContext: @unchecked Sendable {
    let loader: PipelineLoader
    let folder: URL
}

extension CodingUserInfoKey {
    static let partContext = CodingUserInfoKey(rawValue: "posepipe.partContext")!
}

extension Decoder {
    var partContext: PartContext {
        get throws {
            guard let context = userInfo[.partContext] as? PartContext else {
                throw DescriptionError(path: "", reason: "descriptions are read through PipelineLoader")
            }
            return context
        }
    }
}

/// The top level of `pipeline.json`.
private struct PipelineFile: Decodable {
    var description: PipelineDescription

    enum CodingKeys: String, CodingKey, CaseIterable {
        case version, name, summary, license, keypoints, detector, pose
        case keypointChoices = "keypoint_choices"
    }

    init(from decoder: any Decoder) throws {
        let context = try decoder.partContext
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let version = try c.decodeIfPresent(Int.self, forKey: .version) else {
            if try decoder.container(keyedBy: AnyKey.self).contains(AnyKey(stringValue: "landmarks")) {
                throw c.invalid(.version, "missing: this is a version-1 description; posepipe reads version 2 "
                    + "(add \"version\": 2, move \"landmarks\" to \"pose\" with typed \"crop\" and \"codec\" parts; see the README's Pipeline descriptions)")
            }
            throw c.invalid(.version, "missing (posepipe reads version \(PipelineDescription.version))")
        }
        guard version == PipelineDescription.version else {
            throw c.invalid(.version, "is \(version); this posepipe reads version \(PipelineDescription.version)")
        }
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let keypoints = try Self.part(.keypoints, in: c, named: context.loader.keypointSet(named:)) {
            try c.decode(KeypointSet.self, forKey: .keypoints)
        }
        let detector = try Self.part(.detector, in: c, named: context.loader.detector(named:)) {
            try DetectorDescription.decode(from: c.superDecoder(forKey: .detector), name: "inline", folder: context.folder)
        }
        let pose: PoseModelDescription?
        switch (detector.multiPose, c.contains(.pose)) {
        case (nil, _):
            pose = try PoseModelDescription(from: c.superDecoder(forKey: .pose), folder: context.folder, keypoints: keypoints)
        case (_?, false):
            pose = nil
        case (_?, true):
            throw c.invalid(.pose, "a multi-person detector (\(detector.name)) finds the keypoints itself: leave pose out")
        }
        var description = PipelineDescription(
            name: try c.decode(String.self, forKey: .name) { $0.isEmpty ? "must not be empty" : nil },
            summary: try c.decodeIfPresent(String.self, forKey: .summary),
            license: try c.decodeIfPresent(String.self, forKey: .license),
            keypoints: keypoints, detector: detector, pose: pose, folder: context.folder)
        description.keypointChoices = try c.decode([String].self, forKey: .keypointChoices, default: []) { names in
            names.contains(keypoints.name) ? nil : "must list the pipeline's own keypoints '\(keypoints.name)' among the choices"
        }
        for name in description.keypointChoices {
            do {
                _ = try context.loader.keypointSet(named: name)
            } catch let error as DescriptionError {
                throw error.nested(in: CodingKeys.keypointChoices.stringValue)
            }
        }
        self.description = description
    }
}

extension PipelineFile {
    /// A part given by the name of a shared file (`"coco-17"`) or written out inline.
    private static func part<T>(_ key: CodingKeys, in c: KeyedDecodingContainer<CodingKeys>, named: (String) throws -> T,
                                inline: () throws -> T) throws -> T {
        guard let name = try? c.decode(String.self, forKey: key) else { return try inline() }
        do {
            return try named(name)
        } catch let error as DescriptionError {
            throw error.nested(in: key.stringValue)
        }
    }
}

/// The top level of `detector.json`: one detector part named after its folder.
private struct DetectorFile: Decodable {
    let detector: DetectorDescription

    init(from decoder: any Decoder) throws {
        let context = try decoder.partContext
        detector = try DetectorDescription.decode(from: decoder, name: context.folder.lastPathComponent, folder: context.folder)
    }
}

extension PipelineDescription {
    /// Reads a description by name or path from the default folders.
    public static func load(_ nameOrPath: String) throws -> PipelineDescription {
        try PipelineLoader().load(nameOrPath)
    }
}
