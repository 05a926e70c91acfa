import Dispatch

/// Runs the pose estimators on a batch of person crops, spread over a pool of estimators (one
/// model session each) running concurrently.
///
/// Results come back in job order and each crop's numbers never depend on which estimator ran
/// it, so the output is the same for any pool size.
public final class PoseStage: Sendable {
    /// One crop of one frame for the pose model.
    public struct Job: Sendable {
        public var frame: VideoFrame
        public var crop: RotatedRect

        public init(frame: VideoFrame, crop: RotatedRect) {
            self.frame = frame
            self.crop = crop
        }
    }

    private let estimators: [any PoseEstimating]
    /// How the crops this stage takes are made (the estimators' model's rule).
    public let cropRule: any CropRule

    /// A stage running on `estimators` (sessions of one model), each used by one lane at a time.
    public init(estimators: [any PoseEstimating]) {
        precondition(!estimators.isEmpty, "a pose stage needs an estimator")
        self.estimators = estimators
        cropRule = estimators[0].cropRule
    }

    /// The pose in each job's crop, nil where the model sees no person.
    public func estimate(_ jobs: [Job]) throws -> [PoseEstimate?] {
        let lanes = min(jobs.count, estimators.count)
        guard lanes > 0 else { return [] }
        let slots = ResultSlots<Result<PoseEstimate?, PosePipeError>>(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            // Lane k owns estimator k and jobs k, k + lanes, …: no session is shared.
            for index in stride(from: lane, to: jobs.count, by: lanes) {
                do {
                    slots[index] = .success(try estimators[lane].estimate(in: jobs[index].frame, crop: jobs[index].crop))
                } catch {
                    slots[index] = .failure(error as? PosePipeError ?? .inferenceFailed(String(describing: error)))
                }
            }
        }
        return try slots.values.map { try $0?.get() ?? nil }
    }
}
