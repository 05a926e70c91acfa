import Dispatch

/// Inference and peak extraction for all of one frame's person crops, spread over a pool of
/// estimators (one model session each) that run concurrently.
///
/// Results come back in crop order and each crop's numbers never depend on which estimator ran
/// it, so the output is the same for any pool size.
public final class LandmarkStage: Sendable {
    private let estimators: [LandmarkEstimator]

    public init(pipeline: PipelineDescription, workers: Int) throws {
        estimators = try (0..<max(1, workers)).map { _ in try LandmarkEstimator(pipeline) }
    }

    /// One observation per crop that holds a person, in crop order; the first `followedCount`
    /// crops are people followed from the previous frame.
    public func observe(_ frame: VideoFrame, regions: [RotatedRect], followedCount: Int = 0) throws -> [PersonObservation] {
        let lanes = min(regions.count, estimators.count)
        guard lanes > 0 else { return [] }
        let slots = ResultSlots<Result<LandmarkEstimator.Estimate?, PosePipeError>>(count: regions.count)
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            // Lane k owns estimator k and crops k, k + lanes, …: no session is shared.
            for index in stride(from: lane, to: regions.count, by: lanes) {
                do {
                    slots[index] = .success(try estimators[lane].estimate(in: frame, region: regions[index]))
                } catch {
                    slots[index] = .failure(error as? PosePipeError ?? .inferenceFailed(String(describing: error)))
                }
            }
        }
        var people: [PersonObservation] = []
        for (index, slot) in slots.values.enumerated() {
            guard let estimate = try slot?.get() else { continue }
            people.append(PersonObservation(keypoints: estimate.keypoints, score: estimate.presence,
                                            region: regions[index], nextRegion: estimate.nextRegion,
                                            followed: index < followedCount))
        }
        return people
    }
}
