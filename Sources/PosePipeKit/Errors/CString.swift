import Foundation

extension String {
    /// The text of a C buffer filled up to a NUL terminator.
    init(nulTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A C library's message in a buffer, without the line break such messages often end in: it
    /// becomes part of posepipe's one line.
    init(nulTerminatedMessage buffer: [CChar]) {
        self = String(nulTerminated: buffer).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
