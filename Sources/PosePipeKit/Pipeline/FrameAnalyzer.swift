/// The per-frame work of one pipeline worker: person crops, normalization, inference and peak
/// extraction for every person in a frame. Each worker owns one analyzer and its model sessions.
public final class FrameAnalyzer: Sendable {
    private let detector: PersonDetector
    private let estimator: LandmarkEstimator

    public init(pipeline: PipelineDescription, threads: Int = 1) throws {
        detector = try PersonDetector(pipeline.detector, modelPath: pipeline.modelPath(pipeline.detector.model), threads: threads)
        estimator = try LandmarkEstimator(pipeline, threads: threads)
    }

    /// Everyone found in `frame`, best first, without duplicates.
    public func analyze(_ frame: VideoFrame) throws -> [PersonObservation] {
        var people: [PersonObservation] = []
        for detection in try detector.detect(in: frame) {
            guard let region = detector.region(for: detection),
                  let estimate = try estimator.estimate(in: frame, region: region) else { continue }
            people.append(PersonObservation(keypoints: estimate.keypoints, score: estimate.presence,
                                            region: region, nextRegion: estimate.nextRegion))
        }
        return PoseSimilarity.removingDuplicates(people)
    }
}
