import Foundation

/// Reads JSON Lines values straight from a file, a pipe or a named pipe, in 64 KB blocks: no line
/// is ever held whole, so a 60 MB line costs what its numbers cost, and a stream with no newline
/// (`/dev/zero`) fails at its first byte instead of being read into memory.
///
/// A JSON Lines record ends at a newline, so whitespace here is space, tab and carriage return;
/// a newline inside a value ends the line (`lineEnded`). Every line is bounded (`maxLineBytes`).
/// A pipe is waited on with `poll` in short slices, so a stop request (Ctrl-C) ends a wait for a
/// writer that never comes.
final class JSONLineScanner {
    /// Why a value could not be read.
    enum Failure: Error {
        /// Bytes that are not the JSON expected here.
        case malformed
        /// A newline where the value goes on.
        case lineEnded
        /// The input ended inside the value: a line cut by a killed writer.
        case cutShort
        /// The line is longer than `maxLineBytes`.
        case tooLong
        /// `read` failed with this errno.
        case readFailed(Int32)
        /// A stop request came while waiting for or reading the input.
        case interrupted
    }

    /// The longest line read by default: far above any frame a video yields (100,000 people is 60 MB).
    static let maxLineBytes = 256 << 20
    /// The longest line this scanner reads.
    let lineLimit: Int
    /// The longest number or string token.
    static let maxTokenBytes = 1 << 20

    private let descriptor: Int32
    private let waitsForData: Bool
    private let shouldStop: @Sendable () -> Bool
    private let buffer: UnsafeMutablePointer<UInt8>
    private static let capacity = 1 << 16
    private var position = 0
    private var filled = 0
    private var ended = false
    /// Bytes consumed before the buffer's start, and where the current line began.
    private var consumedBefore = 0
    private var lineStart = 0
    private var token: [UInt8] = []

    /// - Parameter descriptor: open for reading; the scanner closes it.
    init(descriptor: Int32, lineLimit: Int = maxLineBytes, shouldStop: @escaping @Sendable () -> Bool) {
        self.descriptor = descriptor
        self.lineLimit = lineLimit
        var status = stat()
        waitsForData = fstat(descriptor, &status) != 0 || !status.isRegularFile
        self.shouldStop = shouldStop
        buffer = .allocate(capacity: Self.capacity)
    }

    deinit {
        buffer.deallocate()
        close(descriptor)
    }

    // MARK: Bytes

    /// The next byte without taking it, nil at the end of the input.
    @inline(__always) func peek() throws(Failure) -> UInt8? {
        if position == filled { try refill() }
        return position < filled ? buffer[position] : nil
    }

    @inline(__always) private func take() throws(Failure) -> UInt8 {
        guard let byte = try peek() else { throw .cutShort }
        position += 1
        return byte
    }

    private func refill() throws(Failure) {
        guard !ended else { return }
        consumedBefore += filled
        position = 0
        filled = 0
        if consumedBefore - lineStart > lineLimit { throw .tooLong }
        while true {
            if shouldStop() { throw .interrupted }
            if waitsForData {
                var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let ready = poll(&request, 1, 200)
                if ready == 0 || (ready < 0 && errno == EINTR) { continue }
            }
            let count = read(descriptor, buffer, Self.capacity)
            if count > 0 {
                filled = count
                return
            }
            if count == 0 {
                ended = true
                return
            }
            if errno == EINTR || errno == EAGAIN { continue }
            throw .readFailed(errno)
        }
    }

    /// Whether the input has no byte left.
    func atEnd() throws(Failure) -> Bool { try peek() == nil }

    /// Marks the start of a line: its length counts from here.
    func beginLine() { lineStart = consumedBefore + position }

    /// Skips spaces, tabs and carriage returns (not newlines).
    @inline(__always) func skipSpace() throws(Failure) {
        while let byte = try peek(), byte == 0x20 || byte == 0x09 || byte == 0x0D { position += 1 }
    }

    /// Takes `byte` after optional space, or fails.
    @inline(__always) func expect(_ byte: UInt8) throws(Failure) {
        try skipSpace()
        let found = try take()
        guard found == byte else { throw found == 0x0A ? .lineEnded : .malformed }
    }

    /// Takes `byte` after optional space when it comes next; false otherwise.
    @inline(__always) func accept(_ byte: UInt8) throws(Failure) -> Bool {
        try skipSpace()
        guard try peek() == byte else { return false }
        position += 1
        return true
    }

    /// Ends a line after its value: optional space, then a newline, or the end of the input
    /// (true: the line had no newline).
    func endLine() throws(Failure) -> Bool {
        try skipSpace()
        guard let byte = try peek() else { return true }
        guard byte == 0x0A else { throw .malformed }
        position += 1
        return false
    }

    /// Skips to just past the next newline; true when the input ended first.
    func skipRestOfLine() throws(Failure) -> Bool {
        while true {
            if position == filled { try refill() }
            guard position < filled else { return true }
            if let newline = memchr(buffer + position, 0x0A, filled - position) {
                position = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
                return false
            }
            position = filled
        }
    }

    // MARK: Values

    /// Takes `null` when it comes next.
    func acceptNull() throws(Failure) -> Bool {
        try skipSpace()
        guard try peek() == UInt8(ascii: "n") else { return false }
        try word("null")
        return true
    }

    /// Takes `true` or `false`, or fails.
    func boolean() throws(Failure) -> Bool {
        try skipSpace()
        let isTrue = try peek() == UInt8(ascii: "t")
        try word(isTrue ? "true" : "false")
        return isTrue
    }

    /// Takes the letters of `literal`, or fails.
    private func word(_ literal: StaticString) throws(Failure) {
        for index in 0..<literal.utf8CodeUnitCount {
            guard try take() == literal.utf8Start[index] else { throw .malformed }
        }
    }

    /// Calls `member` with each key of an object, positioned at its value, which `member` must take.
    func object(_ member: (String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if try accept(UInt8(ascii: "}")) { return }
        repeat {
            try skipSpace()
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(key)
        } while try accept(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// Calls `element` for each element of an array, positioned at it; `element` must take it.
    func array(_ element: () throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if try accept(UInt8(ascii: "]")) { return }
        repeat { try element() } while try accept(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    /// Skips any value, nested at most 64 deep.
    func skipValue(depth: Int = 0) throws {
        guard depth < 64 else { throw Failure.malformed }
        try skipSpace()
        switch try peek() {
        case UInt8(ascii: "{"): try object { _ in try skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): try array { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            try word(try peek() == UInt8(ascii: "t") ? "true" : "false")
        case UInt8(ascii: "n"): _ = try acceptNull()
        default: _ = try number()
        }
    }

    /// A string value, its escapes resolved.
    func string() throws(Failure) -> String {
        try expect(UInt8(ascii: "\""))
        token.removeAll(keepingCapacity: true)
        while true {
            let byte = try take()
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: token, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape()
            case 0x0A:
                throw .lineEnded
            case ..<0x20:
                throw .malformed
            default:
                token.append(byte)
            }
            guard token.count <= Self.maxTokenBytes else { throw .tooLong }
        }
    }

    private func escape() throws(Failure) {
        let byte = try take()
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): token.append(byte)
        case UInt8(ascii: "b"): token.append(0x08)
        case UInt8(ascii: "f"): token.append(0x0C)
        case UInt8(ascii: "n"): token.append(0x0A)
        case UInt8(ascii: "r"): token.append(0x0D)
        case UInt8(ascii: "t"): token.append(0x09)
        case UInt8(ascii: "u"):
            var value = try hex4()
            if (0xD800..<0xDC00).contains(value), try peek() == UInt8(ascii: "\\") {
                position += 1
                guard try take() == UInt8(ascii: "u") else { throw .malformed }
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw .malformed }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            }
            // A lone surrogate is no character: U+FFFD, as a decoder of UTF-16 would give.
            token.append(contentsOf: String(Unicode.Scalar(value) ?? "\u{FFFD}").utf8)
        default: throw .malformed
        }
    }

    private func hex4() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = try take()
            guard let digit = Self.hexValue(byte) else { throw .malformed }
            value = value << 4 | digit
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// A number token's bytes, checked against JSON's grammar.
    private func numberToken() throws(Failure) -> JSONNumber {
        try skipSpace()
        token.removeAll(keepingCapacity: true)
        while let byte = try peek(), JSONNumber.mayHold(byte) {
            token.append(byte)
            position += 1
            guard token.count <= 1024 else { throw .malformed }
        }
        guard let number = JSONNumber(token) else {
            if try peek() == 0x0A && token.isEmpty { throw .lineEnded }
            throw .malformed
        }
        return number
    }

    /// A number value as a Double (1e999 reads as infinity, as JSON readers give it).
    func number() throws(Failure) -> Double { try numberToken().double }

    /// A number value that is a whole number within Int's range (`5` or `5.0`).
    func integer() throws(Failure) -> Int {
        guard let value = try numberToken().integer else { throw .malformed }
        return value
    }

    /// A number, or nil for `null`.
    func optionalNumber() throws(Failure) -> Double? {
        try acceptNull() ? nil : try number()
    }
}
