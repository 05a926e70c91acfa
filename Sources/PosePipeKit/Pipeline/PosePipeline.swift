/// A pipeline ready to run: its description, its options and its model sessions, built once
/// (opening a session is the slow part) and used input after input.
///
/// Each `run` executes the pipeline's graph of stages (`PipelineGraph`) over one input. Stages are
/// linked by bounded queues, so memory stays flat; detection (or a multi-person model) looks at
/// each frame on its own and runs ahead in parallel; everything that depends on earlier frames
/// (crops that follow a person, ids, filters) runs in frame order, so the output is identical for
/// any number of workers.
public final class PosePipeline: Sendable {
    public let description: PipelineDescription
    public let options: PipelineOptions
    /// How this pipeline finds people: its own stages and their sessions.
    let finding: any PersonFinding

    /// Workers looking at frames ahead of frame order (detection runs more than one from 8
    /// threads; a multi-person model, one per thread).
    var detectionWorkers: Int { finding.lookers }

    /// Builds the sessions `description` names (`StageFactory`), checking it against the model files.
    public convenience init(description: PipelineDescription, options: PipelineOptions) throws {
        let finding = try StageFactory(description).makeFinding(workers: max(1, options.threads))
        self.init(description: description, options: options, finding: finding)
    }

    /// A pipeline whose person finding is `finding`: stages of the caller's choosing (a test's).
    init(description: PipelineDescription, options: PipelineOptions, finding: any PersonFinding) {
        self.description = description
        self.options = options
        self.finding = finding
    }

    /// Runs `source` to its end (or `options.maxFrames`, or until `shouldStop` says so) and
    /// calls `sink` with every frame's result in order, on the calling thread.
    ///
    /// When a stage fails, every frame before the failing one has already reached `sink`.
    public func run(_ source: some FrameSource, shouldStop: @escaping @Sendable () -> Bool = { false },
                    sink: (FrameResult) throws -> Void) throws -> RunSummary {
        try run(finding, source, shouldStop: shouldStop, sink: sink)
    }

    private func run<Finding: PersonFinding>(_ finding: Finding, _ source: some FrameSource, shouldStop: @escaping @Sendable () -> Bool,
                                             sink: (FrameResult) throws -> Void) throws -> RunSummary {
        try PipelineGraph(finding: finding, options: options, description: description).run(source, shouldStop: shouldStop, sink: sink)
    }
}
