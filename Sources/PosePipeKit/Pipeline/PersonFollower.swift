import Dispatch

/// The frame-ordered half of the pipeline: follows every person from frame to frame.
///
/// For each block of `frameBatch` consecutive frames it plans the crops (people followed from
/// before the block keep the crop their own pose suggested; detections add newcomers), runs
/// all crops of the block concurrently through the pose stage, then, frame by frame, drops
/// phantoms and duplicates, gives ids, keeps each person's left and right apart and, when smoothing
/// online, smooths. Everything here depends on earlier frames, so it runs in frame order; blocks are
/// fixed by frame index, so results never depend on timing.
struct PersonFollower {
    /// The stages and rules the follower works with.
    struct Parts {
        var poses: PoseStage
        /// Searches frames the detection workers skipped while nobody was being followed.
        var fallbackDetector: any PersonDetecting
        var schedule: DetectionSchedule
        var cropRule: any CropRule
        var newPerson: PoseModelDescription.NewPersonRule?
        var clearScore: Double
        /// Whether a person's next crop comes from their pose; false when every frame's
        /// detection is the crop (the whole-frame detector).
        var follows = true
        /// The keypoint set's mirror pairs (nil: it has none, so sides are not kept).
        var flip: [Int]?
    }

    private let parts: Parts
    private let planner = PersonCropPlanner()
    private var tail: TrackingTail
    private var followed: [RotatedRect] = []
    /// Seconds spent so far in each part, for `--verbose`.
    private(set) var busy = (detection: 0.0, landmarks: 0.0, tracking: 0.0)
    private let maxPeople: Int?

    /// - Parameter online: One Euro filter the poses here (nil: raw, or smoothed later offline).
    init(parts: Parts, options: PipelineOptions, online: OneEuroFilter.Parameters?) {
        self.parts = parts
        maxPeople = options.maxPeople
        tail = TrackingTail(options: options, clearScore: parts.clearScore, flip: parts.flip, online: online)
    }

    /// One block's frames, each with what its detection found or left to do.
    mutating func process(_ block: [(frame: VideoFrame, detected: FrameDetection)]) throws -> [FrameResult] {
        // People already followed keep their place (a single-person tool keeps its subject until
        // it loses them); beyond the limit, the largest stay.
        if let maxPeople { followed = PersonCropPlanner.largest(maxPeople, of: followed) }
        var jobs: [(frame: VideoFrame, crop: RotatedRect)] = []
        var spans: [Range<Int>] = []
        for (frame, detected) in block {
            var newcomers: [RotatedRect] = []
            var search: [RotatedRect]?  // tiles the detector searches here, in frame order
            switch detected {
            case .found(let crops):
                newcomers = crops
            case .deferred(let tiles):
                search = followed.count < maxPeople ?? .max ? tiles : nil
            case .none:
                // Nobody to follow: look for people now rather than at the next detection frame.
                search = followed.isEmpty
                    ? parts.schedule.unscheduled(frame: frame.index, width: frame.displayWidth, height: frame.displayHeight) : nil
            }
            if let search {
                let began = DispatchTime.now()
                newcomers = try parts.fallbackDetector.crops(in: frame, tiles: search, rule: parts.cropRule)
                busy.detection += began.secondsSince
            }
            let crops = planner.plan(tracked: followed, detected: newcomers, limit: maxPeople)
            spans.append(jobs.count..<(jobs.count + crops.count))
            jobs += crops.map { (frame, $0) }
        }
        var began = DispatchTime.now()
        let estimates = try parts.poses.estimate(jobs)
        busy.landmarks += began.secondsSince
        began = DispatchTime.now()
        defer { busy.tracking += began.secondsSince }
        var results: [FrameResult] = []
        var next: [RotatedRect] = []  // crops for the next block, last frame's people first
        for ((frame, _), span) in zip(block, spans) {
            var observed: [PersonObservation] = []
            for (offset, index) in span.enumerated() {
                guard let estimate = estimates[index] else { continue }
                observed.append(PersonObservation(keypoints: estimate.keypoints, score: estimate.presence,
                                                  crop: jobs[index].crop, nextCrop: estimate.nextCrop,
                                                  followed: offset < followed.count))
            }
            if let rule = parts.newPerson {
                observed.removeAll { !$0.followed && !rule.admits($0.keypoints) }
            }
            observed = PoseSimilarity.removingDuplicates(observed, minScore: parts.clearScore)
            if let maxPeople {
                // Newcomers are all looked at (a detection may be a phantom the pose model drops),
                // and the largest real ones fill the places the followed people leave.
                let kept = observed.filter(\.followed).count
                let newcomers = PersonCropPlanner.largest(max(0, maxPeople - kept), of: observed.filter { !$0.followed })
                observed = PersonCropPlanner.largest(maxPeople, of: observed.filter(\.followed)) + newcomers
            }
            // The last frame's people carry into the next block, and so does anyone a detection
            // found earlier in this block who is not among them.
            let carried = next.filter { crop in !observed.contains { $0.nextCrop.map { planner.samePerson($0, crop) } ?? false } }
            next = observed.compactMap(\.nextCrop) + carried
            results.append(tail.result(for: frame, observed: observed))
        }
        followed = parts.follows ? next : []
        return results
    }
}
