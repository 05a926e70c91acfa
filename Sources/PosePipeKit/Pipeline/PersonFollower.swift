import Dispatch

/// The top-down follow stage, a loop as MediaPipe's pose tracking graph has it: each person's crop
/// in a frame comes from their own pose in the frame before (steadier and better aligned than a
/// fresh detection, and it needs no detector hit); detections only add newcomers.
///
///          ┌──────────────── followed crops: the back edge (`Loopback`) ◀────────────────┐
///          ▼                                                                              │
///     plan crops ──▶ pose stage (every crop of the block at once) ──▶ choose people ──▶ next crops
///          ▲
///     detections: the workers', or searched here when `DetectionPlan.search` says so
///
/// The loop goes round once a block of `frameBatch` consecutive frames: every crop of a block comes
/// from the poses of the frame before it, so a lone person's frames can use several cores. Choosing
/// drops phantoms (`NewPersonRule`) and duplicates and keeps `--max-people`. Blocks are fixed by frame
/// index and everything here runs in frame order, so results never depend on timing.
struct PersonFollower: PersonFollowing {
    private let poses: PoseStage
    /// Searches the frames the plan leaves to the follower.
    private let detector: any PersonDetecting
    private let plan: DetectionPlan
    private let newPerson: PoseModelDescription.NewPersonRule?
    private let clearScore: Double
    /// Whether a person's next crop comes from their pose; false when every frame's detection is
    /// the crop (the whole-frame detector), and the loop carries nothing.
    private let follows: Bool
    private let planner = PersonCropPlanner()
    private var followed = Loopback<[RotatedRect]>([])
    private(set) var busy = StageTimes()

    init(poses: PoseStage, detector: any PersonDetecting, plan: DetectionPlan, newPerson: PoseModelDescription.NewPersonRule?,
         clearScore: Double, follows: Bool = true) {
        self.poses = poses
        self.detector = detector
        self.plan = plan
        self.newPerson = newPerson
        self.clearScore = clearScore
        self.follows = follows
    }

    mutating func follow(_ block: [SeenFrame<FrameDetection>]) throws -> [ObservedFrame] {
        // People already followed keep their place (a single-person tool keeps its subject until
        // it loses them); beyond the limit, the largest stay.
        let tracked = plan.maxPeople.map { PersonCropPlanner.largest($0, of: followed.previous) } ?? followed.previous
        var jobs: [PoseStage.Job] = []
        var spans: [Range<Int>] = []
        for seen in block {
            let crops = try planCrops(seen, tracked: tracked)
            spans.append(jobs.count..<(jobs.count + crops.count))
            jobs += crops.map { PoseStage.Job(frame: seen.frame, crop: $0) }
        }
        let began = DispatchTime.now()
        let estimates = try poses.estimate(jobs)
        busy.landmarks += began.secondsSince
        return choosePeople(block, jobs: jobs, spans: spans, estimates: estimates, tracked: tracked.count)
    }

    /// One frame's crops: the followed people's first, then the newcomers' from what a detector found.
    private mutating func planCrops(_ seen: SeenFrame<FrameDetection>, tracked: [RotatedRect]) throws -> [RotatedRect] {
        var found: [Detection] = []
        if case .found(let detections) = seen.sight { found = detections }
        if let search = plan.search(seen.frame, detected: seen.sight, followed: tracked.count) {
            let began = DispatchTime.now()
            found = try detector.detect(in: seen.frame, search: search)
            busy.detection += began.secondsSince
        }
        let newcomers = found.compactMap(poses.cropRule.crop(for:))
        return planner.plan(tracked: tracked, detected: newcomers, limit: plan.maxPeople)
    }

    /// Each frame's people from the poses of its crops (the first `tracked` of each frame's crops
    /// are followed people's), and the crops the loop sends on to the next block.
    private mutating func choosePeople(_ block: [SeenFrame<FrameDetection>], jobs: [PoseStage.Job], spans: [Range<Int>],
                                       estimates: [PoseEstimate?], tracked: Int) -> [ObservedFrame] {
        let began = DispatchTime.now()
        defer { busy.tracking += began.secondsSince }
        var observed: [ObservedFrame] = []
        var next: [RotatedRect] = []  // crops for the next block, last frame's people first
        for (seen, span) in zip(block, spans) {
            var people: [PersonObservation] = []
            for (offset, index) in span.enumerated() {
                guard let estimate = estimates[index] else { continue }
                let nextCrop = poses.cropRule.crop(following: estimate.keypoints, points: estimate.points)
                people.append(PersonObservation(keypoints: estimate.keypoints, score: estimate.presence, crop: jobs[index].crop,
                                                nextCrop: nextCrop, followed: offset < tracked))
            }
            people = kept(people)
            // The last frame's people carry into the next block, and so does anyone a detection
            // found earlier in this block who is not among them.
            let carried = next.filter { crop in !people.contains { $0.nextCrop.map { planner.samePerson($0, crop) } ?? false } }
            next = people.compactMap(\.nextCrop) + carried
            observed.append(ObservedFrame(frame: seen.frame, people: people))
        }
        followed.send(follows ? next : [])
        return observed
    }

    /// The people of one frame who are kept: no phantom newcomer, no duplicate, at most `--max-people`.
    private func kept(_ people: [PersonObservation]) -> [PersonObservation] {
        var kept = people
        if let rule = newPerson {
            kept.removeAll { !$0.followed && !rule.admits($0.keypoints) }
        }
        kept = PoseSimilarity.removingDuplicates(kept, minScore: clearScore)
        if let maxPeople = plan.maxPeople {
            // Newcomers are all looked at (a detection may be a phantom the pose model drops),
            // and the largest real ones fill the places the followed people leave.
            let followedCount = kept.filter(\.followed).count
            let newcomers = PersonCropPlanner.largest(max(0, maxPeople - followedCount), of: kept.filter { !$0.followed })
            kept = PersonCropPlanner.largest(maxPeople, of: kept.filter(\.followed)) + newcomers
        }
        return kept
    }
}
