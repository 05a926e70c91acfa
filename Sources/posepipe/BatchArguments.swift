import ArgumentParser
import PosePipeKit

/// Options for a folder of clips.
struct BatchArguments: ParsableArguments {
    // Values are parsed `.unconditional`ly: `--threads -1` is the value -1, which validate()
    // refuses by name, not an unknown option "-1" that leaves --threads "missing a value".
    @Option(name: .long, parsing: .unconditional, help: "With a folder: clips in flight at once; they share the --threads inference workers (each gets max(1, threads / jobs)). Default: as many as --threads, up to 8.")
    var jobs: Int?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("With a folder: process only share K of N of the sorted clip list (clips K, K+N, K+2N…; K from 0).", valueName: "K/N"))
    var shard: String?

    @Flag(name: .long, help: "With a folder: process clips again even when their output is complete.")
    var overwrite = false

    @Option(name: .long, help: ArgumentHelp("With a folder: write a JSON report of every clip's outcome here.", valueName: "FILE"))
    var report: String?

    func validate() throws {
        if let jobs, !(1...64).contains(jobs) { throw ValidationError("--jobs must be between 1 and 64") }
        if let shard {
            do {
                _ = try Shard(parsing: shard)
            } catch let error as PosePipeError {
                throw ValidationError(error.description)
            }
        }
    }

    /// One clip per worker: a clip's frames form a chain per person that keeps about one core busy, and
    /// clips share nothing, so on a folder whole clips side by side use the cores better than one clip's
    /// workers do (clips per hour, Scripts/bench/benchmark.sh). Capped so that memory (a pipeline's
    /// sessions per job) stays modest on big machines.
    static func defaultJobs(threads: Int) -> Int { min(max(1, threads), 8) }

    /// Whether any of these was given: they make sense only for a folder.
    var anyGiven: Bool { jobs != nil || shard != nil || overwrite || report != nil }

    var selectedShard: Shard {
        get throws { try shard.map(Shard.init(parsing:)) ?? .whole }
    }
}
