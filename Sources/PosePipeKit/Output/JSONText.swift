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
    /// The digits are those of C's `%.*f` (and of Foundation's `String(format:)`, which calls it):
    /// the exact binary value rounded to `decimals` places, ties to even. Values below 10^12, to at
    /// most 6 places, are rounded here in integers at a small fraction of printf's cost (an export
    /// of 100,000 people writes ten million numbers); the rest go through printf.
    static func number(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "null" }
        if abs(value) < 1e12, (0...6).contains(decimals) { return fixed(value, decimals: decimals) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 400) { buffer in
            let written = withVaList([Int32(decimals), value]) { vsnprintf(buffer.baseAddress!, buffer.count, "%.*f", $0) }
            let text = String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: min(Int(written), buffer.count - 1)), as: UTF8.self)
            return trimmed(text)
        }
    }

    /// `value` × 10^decimals rounded exactly, ties to even, written with its decimal point.
    private static func fixed(_ value: Double, decimals: Int) -> String {
        // value = m · 2^e exactly; m · 10^d fits in 128 bits (m < 2^53, 10^d < 2^30).
        let m = UInt128(value.significandBitPattern) | (value.isNormal ? 1 << 52 : 0)
        let e = value.isNormal ? Int(value.exponent) - 52 : -1074
        var scaled = m
        for _ in 0..<decimals { scaled *= 10 }
        var units: UInt128
        if e >= 0 {
            units = scaled << e
        } else if -e >= 127 {
            units = 0  // below 2^-74 · 10^d: far under half a unit of the last place
        } else {
            let shift = UInt128(-e)
            units = scaled >> shift
            let remainder = scaled & ((1 << shift) - 1), half = UInt128(1) << (shift - 1)
            if remainder > half || (remainder == half && units & 1 == 1) { units += 1 }
        }
        guard units != 0 else { return "0" }
        return written(UInt64(units), negative: value < 0, decimals: decimals)
    }

    /// `units` / 10^decimals in decimal, without trailing zeros after the point.
    private static func written(_ units: UInt64, negative: Bool, decimals: Int) -> String {
        var digits: [UInt8] = []  // least significant first
        var rest = units
        while rest > 0 {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        }
        while digits.count <= decimals { digits.append(UInt8(ascii: "0")) }
        var dropped = 0
        while dropped < decimals && digits[dropped] == UInt8(ascii: "0") { dropped += 1 }
        var text: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        text.reserveCapacity(digits.count + 2)
        text.append(contentsOf: digits[decimals...].reversed())
        if dropped < decimals {
            text.append(UInt8(ascii: "."))
            text.append(contentsOf: digits[dropped..<decimals].reversed())
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Trailing zeros of the decimals dropped, and the point when none are left; -0 is 0.
    private static func trimmed(_ text: String) -> String {
        var bytes = Array(text.utf8)
        if bytes.contains(UInt8(ascii: ".")) {
            while bytes.last == UInt8(ascii: "0") { bytes.removeLast() }
            if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        }
        return bytes == Array("-0".utf8) ? "0" : String(decoding: bytes, as: UTF8.self)
    }

    static func array(_ items: [String]) -> String {
        "[" + items.joined(separator: ",") + "]"
    }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}
