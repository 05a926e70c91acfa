import Foundation

/// Just enough JSON writing for the track format, with numbers rounded to a fixed number of
/// decimals so files are compact and byte-identical across runs and machines.
enum JSONText {
    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `value` with at most `decimals` decimals, trailing zeros dropped; JSON has no NaN, so null.
    ///
    /// The digits are C's `%.*f` (glibc rounds the exact binary value), the same digits as
    /// Foundation's `String(format:)` gives, at a tenth of its cost: an export of 100,000 people
    /// writes ten million numbers.
    static func number(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "null" }
        // Whole numbers print as themselves (5, not 5.00 trimmed): the common case, without printf.
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 400) { buffer in
            let written = withVaList([Int32(decimals), value]) { vsnprintf(buffer.baseAddress!, buffer.count, "%.*f", $0) }
            var end = min(Int(written), buffer.count - 1)
            if buffer[0..<end].contains(CChar(UInt8(ascii: "."))) {
                while end > 0 && buffer[end - 1] == CChar(UInt8(ascii: "0")) { end -= 1 }
                if end > 0 && buffer[end - 1] == CChar(UInt8(ascii: ".")) { end -= 1 }
            }
            let text = String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: end), as: UTF8.self)
            return text == "-0" ? "0" : text
        }
    }

    static func array(_ items: [String]) -> String {
        "[" + items.joined(separator: ",") + "]"
    }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}
