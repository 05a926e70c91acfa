import Foundation

/// File names as the kernel keeps them (bytes) carried losslessly in Swift strings (Unicode).
///
/// Linux lets a name hold any byte but `/` and NUL, so a folder of clips can hold names that are
/// not UTF-8 (copied from an old Latin-1 system, say). Such a file must be processed like any
/// other, so each byte that is not part of valid UTF-8 is carried as the private-use scalar
/// U+10FF00 + byte, and turned back into that byte wherever a path goes to the kernel or to FFmpeg.
/// A name that is valid UTF-8 reads and writes exactly as before.
public enum FileName {
    /// Scalars U+10FF80…U+10FFFF stand for the raw bytes 0x80…0xFF (only those can be invalid).
    private static let escapeBase: UInt32 = 0x10FF00

    /// The name of `bytes`, with every byte outside valid UTF-8 escaped.
    public static func string<Bytes: Collection<UInt8>>(fromBytes bytes: Bytes) -> String {
        var scalars = String.UnicodeScalarView()
        var rest = Array(bytes)[...]
        while !rest.isEmpty {
            // A fresh parser per scalar: on an error it says how many bytes were bad, not which.
            var parser = Unicode.UTF8.ForwardParser()
            var window = rest.makeIterator()
            switch parser.parseScalar(from: &window) {
            case .valid(let encoded):
                scalars.append(Unicode.UTF8.decode(encoded))
                rest = rest.dropFirst(encoded.count)
            case .error(let length):
                for byte in rest.prefix(length) { scalars.append(Unicode.Scalar(escapeBase + UInt32(byte))!) }
                rest = rest.dropFirst(length)
            case .emptyInput:
                rest = []
            }
        }
        return String(scalars)
    }

    /// The bytes `name` stands for: its UTF-8, with escaped bytes turned back into themselves.
    public static func bytes(of name: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            if scalar.value >= escapeBase + 0x80 && scalar.value <= escapeBase + 0xFF {
                out.append(UInt8(scalar.value - escapeBase))
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return out
    }

    /// Calls `body` with `path` spelled as the kernel's bytes, NUL-terminated.
    public static func withCString<T>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        var bytes = bytes(of: path).map { CChar(bitPattern: $0) }
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// `name` for a person to read: escaped bytes as `\xHH`, everything else as it is.
    public static func readable(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            if scalar.value >= escapeBase + 0x80 && scalar.value <= escapeBase + 0xFF {
                out += String(format: "\\x%02x", scalar.value - escapeBase)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
