import Foundation

/// One JSON number token, checked against JSON's grammar
/// (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`) and read as a Double and, when it is
/// a whole number within Int's range, as an Int.
struct JSONNumber {
    let double: Double
    let integer: Int?

    /// Bytes that can be part of a number token.
    @inline(__always) static func mayHold(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    /// Powers of ten a Double holds exactly: with a mantissa below 2^53 one multiplication or
    /// division by one of them is correctly rounded (Clinger's fast path).
    private static let exactPowers: [Double] = (0...22).map { pow(10, Double($0)) }

    init?(_ bytes: [UInt8]) {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fractionDigits = 0, leadingZero = false
        var overflow = false
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") }
        func addDigit(_ byte: UInt8) {
            let (times, o1) = mantissa.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            if o1 || o2 { overflow = true } else { mantissa = sum }
        }
        guard isDigit(index) else { return nil }
        leadingZero = bytes[index] == UInt8(ascii: "0")
        while isDigit(index) {
            addDigit(bytes[index])
            digits += 1
            index += 1
        }
        guard !leadingZero || digits == 1 else { return nil }
        var plain = true
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            plain = false
            index += 1
            guard isDigit(index) else { return nil }
            while isDigit(index) {
                addDigit(bytes[index])
                fractionDigits += 1
                index += 1
            }
        }
        var hasExponent = false
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            plain = false
            hasExponent = true
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard isDigit(index) else { return nil }
            while isDigit(index) { index += 1 }
        }
        guard index == bytes.count else { return nil }

        if !hasExponent && !overflow && mantissa < 1 << 53 && fractionDigits <= 22 {
            let magnitude = Double(mantissa) / Self.exactPowers[fractionDigits]
            double = negative ? -magnitude : magnitude
        } else {
            double = bytes.withUnsafeBufferPointer { raw in
                var text = Array(raw)
                text.append(0)
                return text.withUnsafeBufferPointer { strtod(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), nil) }
            }
        }
        if plain && !overflow {
            // -2^63 is a whole Int although 2^63 is not.
            if negative {
                integer = mantissa <= UInt64(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- mantissa) : nil
            } else {
                integer = mantissa <= UInt64(Int.max) ? Int(mantissa) : nil
            }
        } else if double == double.rounded(), double >= -0x1p63, double < 0x1p63 {
            integer = Int(double)
        } else {
            integer = nil
        }
    }
}
