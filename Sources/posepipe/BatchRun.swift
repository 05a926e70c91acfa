import ArgumentParser
import Dispatch
import Foundation
import PosePipeKit

/// `posepipe clips/ -o tracks/`: every video under a folder, each into its own track file.
struct BatchRun {
    let input: String
    let output: String
    let quiet: Bool
    let batch: BatchArguments
    let pipeline: PipelineArguments
    let outputs: OutputArguments
    let stop: StopRequest

    func run() throws {
        let start = DispatchTime.now()
        var isFolder: ObjCBool = false
        if output == "-" || (FileManager.default.fileExists(atPath: output, isDirectory: &isFolder) && !isFolder.boolValue) {
            throw PosePipeError.badUsage("a folder of clips needs an output folder: -o DIR (\(output) is not one)")
        }
        let shard = try batch.selectedShard
        if let path = batch.report { try BatchReport.checkWritable(path, outputFolder: output) }
        let jobs = batch.jobs ?? 1
        let description = try pipeline.description()
        guard FileSystem.names(in: input) != nil else {
            throw PosePipeError.inputUnreadable(path: input, reason: "cannot list the folder")
        }
        let layout = BatchLayout(input: input, output: output)
        let catalog = ClipCatalog.scan(folder: input, excluding: output, known: batch.overwrite ? { _ in false } : layout.isDone)
        for file in catalog.skipped {
            StandardError.line("posepipe: skipping \(layout.source(of: file.path)): \(file.reason)")
        }
        guard !catalog.clips.isEmpty else {
            let count = catalog.skipped.count
            throw PosePipeError.noVideos(folder: input, reason: count == 0 ? "it holds no files"
                                         : "none of its \(count) file\(count == 1 ? " is" : "s are") video")
        }
        if let path = batch.report, InputGuard.isAmong(path, catalog.clips.map(layout.source(of:))) {
            throw PosePipeError.badUsage("--report \(path) is one of the clips; posepipe does not overwrite its input")
        }
        try BatchLayout.makeFolder(output)
        var options = pipeline.options()
        options.threads = max(1, pipeline.threads / jobs)
        let mine = shard.select(catalog.clips)
        let report: BatchReport
        if mine.isEmpty {
            // More shards than clips (16 tasks over 6 clips): a shard without one loads no model.
            report = BatchReport(input: input, output: output, shard: shard, clips: [], notVideo: catalog.skipped,
                                 seconds: Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
        } else {
            let pipelines = try (0..<min(jobs, mine.count)).map { _ in
                try PosePipeline(description: description, options: options)
            }
            let runner = BatchRunner(layout: layout, pipelines: pipelines, overwrite: batch.overwrite,
                                     angles: outputs.angleCalculator(for: description))
            let console = BatchConsole(showProgress: !quiet && StandardError.isTerminal, total: mine.count, layout: layout)
            report = runner.run(catalog, shard: shard, since: start, shouldStop: stop.check, observe: console.handle)
            console.finish()
        }
        StandardError.line("posepipe: \(stop.isRequested ? "interrupted: " : "")\(report.summary)")
        if let path = batch.report { try report.write(to: path) }
        if let code = stop.exitCode { throw ExitCode(code) }
        if report.failed > 0 || report.busy > 0 { throw ExitCode(ExitStatus.partialFailure) }
    }
}
