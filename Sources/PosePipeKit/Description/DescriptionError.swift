import Foundation

/// A field of a pipeline description that cannot be used, named by its JSON path.
public struct DescriptionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Dotted JSON path of the field, e.g. `pose.codec.kernel` or `keypoints.flip[3]`.
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }

    /// The same problem inside `parent`, e.g. a detector part's error inside `detector`.
    func nested(in parent: String) -> DescriptionError {
        DescriptionError(path: path.isEmpty ? parent : "\(parent).\(path)", reason: reason)
    }

    /// One line naming the path and the reason for any error `JSONDecoder` throws.
    static func from(_ error: any Error) -> DescriptionError {
        if let error = error as? DescriptionError { return error }
        guard let decoding = error as? DecodingError else {
            return DescriptionError(path: "", reason: String(describing: error))
        }
        switch decoding {
        case .keyNotFound(let key, let context):
            return DescriptionError(path: jsonPath(context.codingPath + [key]), reason: "missing")
        case .typeMismatch(let type, let context):
            return DescriptionError(path: jsonPath(context.codingPath), reason: "must be \(typeName(type))")
        case .valueNotFound(let type, let context):
            return DescriptionError(path: jsonPath(context.codingPath), reason: "must be \(typeName(type)), not null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty, let underlying = context.underlyingError {
                return DescriptionError(path: "", reason: "not valid JSON: \(underlying.localizedDescription)")
            }
            return DescriptionError(path: jsonPath(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return DescriptionError(path: "", reason: String(describing: error))
        }
    }

    static func jsonPath(_ keys: [any CodingKey]) -> String {
        var path = ""
        for key in keys {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return path
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "a whole number"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type, is [Int].Type, is [Double].Type, is [String].Type, is [Float].Type: "a list"
        default: String(describing: type).hasPrefix("Array") ? "a list" : "an object"
        }
    }
}

extension KeyedDecodingContainer {
    /// Decodes `key` and checks it with `rule`, which names what is wrong (nil: fine).
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key, where rule: (T) -> String?) throws -> T {
        let value = try decode(type, forKey: key)
        if let problem = rule(value) { throw invalid(key, problem) }
        return value
    }

    /// Like `decode(_:forKey:where:)` for an optional field, falling back to `fallback`.
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key, default fallback: T, where rule: (T) -> String? = { _ in nil }) throws -> T {
        guard let value = try decodeIfPresent(type, forKey: key) else { return fallback }
        if let problem = rule(value) { throw invalid(key, problem) }
        return value
    }

    /// An error naming `key`'s path and `reason`.
    func invalid(_ key: Key, _ reason: String) -> DescriptionError {
        DescriptionError(path: DescriptionError.jsonPath(codingPath + [key]), reason: reason)
    }

    /// The error for a part whose `type` is none of `known`.
    func unknownType(_ key: Key, _ found: String, known: [String]) -> DescriptionError {
        invalid(key, "unknown type '\(found)' (one of: \(known.joined(separator: ", ")))")
    }
}

/// Range checks shared by the parts, each returning the reason a value fails (nil: fine).
enum Check {
    static func within(_ range: ClosedRange<Double>) -> (Double) -> String? {
        { $0.isFinite && range.contains($0) ? nil : "must be between \(format(range.lowerBound)) and \(format(range.upperBound))" }
    }

    static func within(_ range: ClosedRange<Int>) -> (Int) -> String? {
        { range.contains($0) ? nil : "must be between \(range.lowerBound) and \(range.upperBound)" }
    }

    /// A Gaussian blur kernel: odd, and at least 3 (OpenCV's smallest sampled kernel).
    static func oddKernel(_ k: Int) -> String? {
        guard (3...31).contains(k) else { return "must be between 3 and 31" }
        return k % 2 == 1 ? nil : "must be odd"
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }
}

/// Any key of a JSON object, to see the fields a part does not know.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// The container of a part that names every field it reads in `Key`: a field it does not
    /// know is refused with its JSON path, as `rejectUnknownKeys` does.
    func strictContainer<Key: CodingKey & CaseIterable>(keyedBy known: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try rejectUnknownKeys(known)
        return try container(keyedBy: known)
    }

    /// Refuses a field the part does not know, so a misspelt setting (`kernal`) is an error,
    /// not a silent default.
    func rejectUnknownKeys<Key: CodingKey & CaseIterable>(_ known: Key.Type) throws {
        let c = try container(keyedBy: AnyKey.self)
        let names = Key.allCases.map(\.stringValue)
        if let unknown = c.allKeys.sorted(by: { $0.stringValue < $1.stringValue }).first(where: { !names.contains($0.stringValue) }) {
            throw DescriptionError(path: DescriptionError.jsonPath(c.codingPath + [unknown]),
                                   reason: "unknown field (known here: \(names.sorted().joined(separator: ", ")))")
        }
    }
}
