import Foundation

/// A command the README or `posepipe help` shows, as a user would copy it.
struct ShownCommand: Hashable {
    /// The command line: continuation lines joined, the trailing comment removed.
    var text: String
    /// Where it is shown: `README.md:14`, `posepipe help run`.
    var source: String
}

/// The commands in the README's fenced code blocks and in every subcommand's help examples, found
/// the way a reader finds them, so an example added to either is picked up without being listed.
enum ShownCommands {
    /// Shell commands of the README's code blocks without a language (or `sh`, `bash`, `console`),
    /// and the `sh -c` strings of its YAML blocks. Comment lines (`#SBATCH …`), the other languages'
    /// blocks (JSON, Python) and scripts shown whole (a block starting with `#!`, see `scripts`) are
    /// not commands.
    static func inReadme(_ text: String) -> [ShownCommand] {
        var commands: [ShownCommand] = []
        var language: String?
        var pending = "", pendingLine = 0
        var inScript = false
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                language = language == nil ? String(trimmed.dropFirst(3)) : nil
                inScript = false
                continue
            }
            guard let language, !inScript else { continue }
            if pending.isEmpty && trimmed.hasPrefix("#!") {
                inScript = true
                continue
            }
            if language == "yaml" {
                if let command = shellString(inYAML: line) { commands.append(ShownCommand(text: command, source: "README.md:\(index + 1)")) }
                continue
            }
            guard ["", "sh", "bash", "console"].contains(language) else { continue }
            if pending.isEmpty { pendingLine = index + 1 }
            let code = withoutComment(trimmed)
            if code.hasSuffix("\\") {
                pending += code.dropLast().trimmingCharacters(in: .whitespaces) + " "
                continue
            }
            let whole = (pending + code).trimmingCharacters(in: .whitespaces)
            pending = ""
            if !whole.isEmpty { commands.append(ShownCommand(text: whole, source: "README.md:\(pendingLine)")) }
        }
        return commands
    }

    /// The README's code blocks that start with `#!`: script files shown whole, each of which must
    /// be a file of the repository, run by that file's own test.
    static func scripts(inReadme text: String) -> [String] {
        var scripts: [String] = []
        var inBlock = false, atStart = false
        var script: String?
        for line in text.components(separatedBy: "\n") {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                if inBlock, let script { scripts.append(script) }
                inBlock.toggle()
                atStart = inBlock
                script = nil
                continue
            }
            if atStart {
                atStart = false
                if line.hasPrefix("#!") { script = "" }
            }
            if script != nil { script! += line + "\n" }
        }
        return scripts
    }

    /// The command lines under "Example(s):" in each command's help, from the binary's own
    /// description of itself (`--experimental-dump-help`), unwrapped.
    static func inHelp(dump: Data) throws -> [ShownCommand] {
        struct Command: Decodable {
            var commandName: String
            var discussion: String?
            var subcommands: [Command]?
        }
        struct Dump: Decodable { var command: Command }
        var commands: [ShownCommand] = []
        func visit(_ command: Command, path: String) {
            let source = path.isEmpty ? "posepipe --help" : "posepipe help \(path)"
            var inExamples = false
            for line in (command.discussion ?? "").components(separatedBy: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("Example") && trimmed.hasSuffix(":") {
                    inExamples = true
                } else if inExamples && !line.hasPrefix("  ") {
                    inExamples = false
                } else if inExamples && !trimmed.hasPrefix("#") && !trimmed.isEmpty {
                    commands.append(ShownCommand(text: withoutComment(trimmed), source: source))
                }
            }
            for sub in command.subcommands ?? [] where sub.commandName != "help" {
                visit(sub, path: (path.isEmpty ? "" : path + " ") + sub.commandName)
            }
        }
        visit(try JSONDecoder().decode(Dump.self, from: dump).command, path: "")
        return commands
    }

    /// `line` without a trailing `# comment` (a `#` after a space, outside quotes); a line that
    /// starts with `#` is all comment.
    static func withoutComment(_ line: String) -> String {
        if line.hasPrefix("#") { return "" }
        var quote: Character?
        var previous: Character = " "
        for (offset, character) in line.enumerated() {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#" && previous == " " {
                return String(line.prefix(offset)).trimmingCharacters(in: .whitespaces)
            }
            previous = character
        }
        return line.trimmingCharacters(in: .whitespaces)
    }

    /// The command of a YAML line `command: ["sh", "-c", "…"]` that runs posepipe.
    static func shellString(inYAML line: String) -> String? {
        guard line.contains("command:"), line.contains("posepipe"), let open = line.firstIndex(of: "["),
              let close = line.lastIndex(of: "]"), open < close,
              let items = try? JSONDecoder().decode([String].self, from: Data(line[open...close].utf8)),
              items.count == 3, items[0] == "sh", items[1] == "-c" else { return nil }
        return items[2]
    }

    /// Whether a line is a synopsis (`posepipe render INPUT -o OVERLAY.mp4 [options]`) rather
    /// than a command: it holds a placeholder in capitals, or an optional part in brackets.
    static func isSynopsis(_ text: String) -> Bool {
        text.split(separator: " ").contains { token in
            if token.hasPrefix("[") || (token.contains("|") && token != "|") { return true }
            let letters = token.prefix { $0 != "." }
            return token == "WxH" || (letters.count >= 2 && letters.allSatisfy { $0.isUppercase || $0 == "_" })
        }
    }
}
