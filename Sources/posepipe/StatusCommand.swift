import ArgumentParser
import Foundation
import PosePipeKit

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say where a folder run stands: clips done, in flight, failed and left, overall and per shard. Runs nothing.",
        discussion: """
            Examples:
              posepipe status clips/ -o tracks/
              # a sharded run (a Slurm job array), with the reports its tasks wrote
              posepipe status /shared/clips -o /shared/tracks --report-dir /shared/tracks.reports
              posepipe status clips/ -o tracks/ --json | jq .counts

            Read from the output folder: a finished file is done; a .partial file a run has locked is \
            in flight; a clip whose newest report says it failed is failed; anything else is left for \
            the next run of its shard. The shard count comes from the reports. Exit code 0 whatever \
            the state (--json's complete says whether every clip is done).
            """
    )

    @Argument(help: "The folder of clips.")
    var input: String

    @Option(name: .shortAndLong, help: "The output folder of the run.")
    var output: String

    @Option(name: .long, help: ArgumentHelp("The folder of the tasks' --report files.", valueName: "DIR"))
    var reportDir: String?

    @Flag(name: .long, help: "Print the status as one line of JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isFolder) && !isFolder.boolValue {
                throw PosePipeError.badUsage("status reads an output folder: -o DIR (\(output) is not one)")
            }
            let (status, notes) = try BatchStatus.read(input: input, output: output, reportFolder: reportDir)
            for note in notes { StandardError.line("posepipe: \(note)") }
            if json {
                print(try status.json())
            } else {
                for line in StatusText(status: status).lines { print(TerminalText.escaped(line)) }
            }
        }
    }
}
