@testable import PosePipeKit

/// Drives the top-down follow stage one frame at a time as the graph does: the frame's look by the
/// detection plan (a worker's part), the `PersonFollower`, then the tracking stage for ids. For
/// tests of the follower with stand-in detector and pose stages, without ONNX Runtime.
struct FollowerHarness {
    let plan: DetectionPlan
    /// The workers' detector; the follower's own is the same one, so its calls count both.
    let detector: any PersonDetecting
    var follower: PersonFollower
    var tracking = TrackingStage(options: PipelineOptions(smoothing: .off), clearScore: 0.5, flip: nil)

    init(detector: any PersonDetecting, estimators: [any PoseEstimating], interval: Int, defers: Bool = false, maxPeople: Int? = nil,
         newPerson: PoseModelDescription.NewPersonRule? = nil, follows: Bool = true) {
        plan = DetectionPlan(schedule: DetectionSchedule(interval: interval, tiling: DetectionTiling(level: 0)), defers: defers,
                             maxPeople: maxPeople)
        self.detector = detector
        follower = PersonFollower(poses: PoseStage(estimators: estimators), detector: detector, plan: plan, newPerson: newPerson,
                                  clearScore: 0.5, follows: follows)
    }

    /// The people of `frame` with their ids.
    mutating func step(_ frame: VideoFrame) throws -> [TrackedPerson] {
        let sight = try plan.look(at: frame) { try detector.detect(in: frame, tiles: $0) }
        let observed = try follower.follow([SeenFrame(frame: frame, sight: sight)])
        return observed.map { tracking.track($0).people }.flatMap { $0 }
    }
}
