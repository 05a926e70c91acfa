/// Text from outside (file names, FFmpeg's reasons) made safe to print on a terminal.
public enum TerminalText {
    /// `text` with every control character written as an escape (`\n`, `\t`, `\r`, `\x1b`,
    /// `\u{9b}`…), including the line and paragraph separators and the bidirectional overrides
    /// that could make a name read as another, and a name's bytes that are not UTF-8 as `\xHH`.
    public static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in FileName.readable(text).unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\x" + hex(scalar.value, digits: 2)
            case _ where (0x80...0x9F).contains(scalar.value) || (0x2028...0x2029).contains(scalar.value)
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value):
                out += "\\u{" + hex(scalar.value, digits: 1) + "}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
