/// Temporal smoothing stage: a One Euro filter per tracked person, keypoint and axis, driven by
/// presentation time so variable frame rates smooth correctly.
///
/// Speeds are measured in person sizes per second (MediaPipe scales its landmark filter the same
/// way), so one setting suits near and far people alike.
public struct TemporalSmoother: Sendable {
    /// MediaPipe's own setting for BlazePose landmarks.
    public static let defaultParameters = OneEuroFilter.Parameters(minCutoff: 0.05, beta: 80, derivativeCutoff: 1)

    public let parameters: OneEuroFilter.Parameters?
    /// Keypoints scored below this are passed through unfiltered and do not move the filter.
    public let minScore: Double
    /// A person unseen for longer than this (seconds) starts fresh when seen again, even under
    /// the same id: the filter's last state says nothing about where they are now.
    public let resetGap: Double
    private var filters: [Int: (lastSeen: Double, axes: [OneEuroFilter])] = [:]

    /// - Parameter parameters: nil turns smoothing off.
    public init(parameters: OneEuroFilter.Parameters? = Self.defaultParameters, minScore: Double = 0.5, resetGap: Double = 0.2) {
        self.parameters = parameters
        self.minScore = minScore
        self.resetGap = resetGap
    }

    /// Smooths one frame's tracked people; people no longer tracked lose their filter state.
    public mutating func smooth(_ people: [TrackedPerson], at time: Double, activeIDs: Set<Int>) -> [TrackedPerson] {
        filters = filters.filter { activeIDs.contains($0.key) }
        guard let parameters else { return people }
        return people.map { person in
            var person = person
            var state = Array(repeating: OneEuroFilter(parameters), count: person.keypoints.count * 2)
            if let kept = filters[person.id], time - kept.lastSeen <= resetGap { state = kept.axes }
            let box = Box(enclosing: person.keypoints.map(\.point))
            let size = max((box.width + box.height) / 2, 1)
            for k in person.keypoints.indices where person.keypoints[k].score >= minScore {
                person.keypoints[k].x = state[2 * k].filter(person.keypoints[k].x, at: time, speedScale: size)
                person.keypoints[k].y = state[2 * k + 1].filter(person.keypoints[k].y, at: time, speedScale: size)
            }
            filters[person.id] = (time, state)
            return person
        }
    }
}
