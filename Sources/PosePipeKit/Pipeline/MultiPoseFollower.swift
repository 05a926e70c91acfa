import Dispatch

/// The follow stage of a multi-person model: the model has found everyone in each frame already,
/// so what remains is dropping duplicates and the `--max-people` limit. No loop: every frame is
/// searched afresh.
struct MultiPoseFollower: PersonFollowing {
    private let maxPeople: Int?
    private let clearScore: Double
    private(set) var busy = StageTimes()

    init(maxPeople: Int?, clearScore: Double) {
        self.maxPeople = maxPeople
        self.clearScore = clearScore
    }

    mutating func follow(_ block: [SeenFrame<[PersonObservation]>]) -> [ObservedFrame] {
        let began = DispatchTime.now()
        defer { busy.tracking += began.secondsSince }
        return block.map { seen in
            var people = PoseSimilarity.removingDuplicates(seen.sight, minScore: clearScore)
            // Every frame is searched afresh, so the limit keeps the largest people of each frame.
            if let maxPeople { people = PersonCropPlanner.largest(maxPeople, of: people) }
            return ObservedFrame(frame: seen.frame, people: people)
        }
    }
}
