import Foundation
import Testing
@testable import PosePipeKit

/// File names are bytes: every one the file system lists is processed, and none reaches the
/// terminal in a way that splits a line or drives the terminal.
@Suite struct FileNameTests {
    /// `prefix` followed by raw `bytes`, NUL-terminated, for system calls.
    func rawPath(_ prefix: String, _ bytes: [UInt8]) -> [CChar] {
        Array(prefix.utf8CString.dropLast()) + bytes.map { CChar(bitPattern: $0) } + [0]
    }

    @Test(arguments: [[0x63, 0x61, 0x66, 0xE9], [0xFF, 0xFE, 0x2E], [0xE2, 0x28, 0xA1], [0xC0, 0xAF], [0xED, 0xA0, 0x80],
                      [0xF0, 0x9F, 0x98], Array("héllo wörld 😀.mp4".utf8)] as [[UInt8]])
    func everyByteStringComesBackAsItWas(bytes: [UInt8]) {
        let name = FileName.string(fromBytes: bytes)
        #expect(FileName.bytes(of: name) == bytes)
        if let valid = String(validating: bytes, as: UTF8.self) { #expect(name == valid, "UTF-8 names read as they are") }
    }

    @Test func controlCharactersAndForeignBytesAreEscapedForTheTerminal() {
        #expect(TerminalText.escaped("a\nb\u{1B}[31mc\td\r") == #"a\nb\x1b[31mc\td\r"#)
        #expect(TerminalText.escaped("x\u{202E}gpm.exe\u{9B}") == #"x\u{202e}gpm.exe\u{9b}"#)
        #expect(TerminalText.escaped(FileName.string(fromBytes: [0x63, 0x61, 0x66, 0xE9])) == #"caf\xe9"#)
        #expect(TerminalText.escaped("café ✓") == "café ✓")
    }

    @Test func aNameWithANewlineStaysOnOneErrorLine() throws {
        let outcome = try CLI.run(["/no/such\nfolder/cl\u{1B}[2Jip.mp4", "-o", "/dev/null"])
        #expect(outcome.status == 66)
        #expect(outcome.stderr == #"posepipe: no such file or directory: /no/such\nfolder/cl\x1b[2Jip.mp4"# + "\n")
    }

    @Test func aFolderRunProcessesAndNamesEveryFileTheFileSystemLists() throws {
        let root = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let clips = root.path + "/clips", tracks = root.path + "/tracks"
        try FileManager.default.createDirectory(atPath: clips, withIntermediateDirectories: true)
        try Fixtures.pedestrianClip(URL(fileURLWithPath: clips + "/new\nline.mp4"), frames: 2)
        try Fixtures.pedestrianClip(URL(fileURLWithPath: clips + "/latin.mp4"), frames: 3)
        // "café.mp4" as an old Latin-1 system wrote it: é is the single byte 0xE9, not UTF-8.
        #expect(rename(clips + "/latin.mp4", rawPath(clips + "/caf", [0xE9] + Array(".mp4".utf8))) == 0)
        try Data("shot list\n".utf8).write(to: URL(fileURLWithPath: clips + "/\u{1B}[31mred.txt"))

        let outcome = try CLI.run([clips, "-o", tracks, "--report", root.path + "/report.json"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let lines = outcome.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix("posepipe: ") }, "stderr: \(outcome.stderr)")
        #expect(lines.first == #"posepipe: skipping \#(clips)/\x1b[31mred.txt: not media FFmpeg reads"#)
        #expect(lines.last?.hasPrefix("posepipe: 2 done of 2 clips; 1 other file not video;") == true, "stderr: \(outcome.stderr)")
        #expect(!outcome.stderr.contains("\u{1B}"))

        #expect(try TrackFile(path: tracks + "/new\nline.mp4.jsonl").frames.count == 2)
        let latin = rawPath(tracks + "/caf", [0xE9] + Array(".mp4.jsonl".utf8))
        let descriptor = open(latin, O_RDONLY)
        #expect(descriptor >= 0, "the output keeps the clip's own bytes")
        if descriptor >= 0 {
            let text = try FileHandle(fileDescriptor: descriptor, closeOnDealloc: true).readToEnd() ?? Data()
            #expect(try TrackFile(text: String(decoding: text, as: UTF8.self)).frames.count == 3)
        }
    }
}
