/// A person with a stable id, as written to the output.
public struct TrackedPerson: Sendable {
    public var id: Int
    public var score: Double
    public var keypoints: [Keypoint]
    /// The crop the keypoints were found in (not written out; for checks and drawing).
    public var crop: RotatedRect?
    /// The pipeline's clear-keypoint score.
    public var clearScore: Double
    /// Whether the model's left and right labels were swapped back in this frame (`SideKeeper`).
    public var sidesSwapped: Bool

    public init(id: Int, score: Double, keypoints: [Keypoint], crop: RotatedRect? = nil, clearScore: Double = 0.5,
                sidesSwapped: Bool = false) {
        self.id = id
        self.score = score
        self.keypoints = keypoints
        self.crop = crop
        self.clearScore = clearScore
        self.sidesSwapped = sidesSwapped
    }

    /// The axis-aligned box around the clearly seen keypoints (score ≥ `clearScore`), or around
    /// all of them when fewer than two are: guessed positions of hidden joints would inflate it.
    public var box: Box {
        let seen = keypoints.filter { $0.score >= clearScore }
        return Box(enclosing: (seen.count >= 2 ? seen : keypoints).map(\.point))
    }
}

/// Gives each person an id that stays with them while they remain in view.
///
/// Each frame's people are matched greedily, most alike first, to the tracks of earlier frames
/// by pose similarity (or box overlap, for fast motion). A person the model lost for a moment —
/// a fast roll, a brief occlusion — has moved and changed pose when found again, so tracks left
/// unmatched then get a second chance by distance: the nearest leftover person whose box centre
/// lies within `reacquireReach` box diagonals of where the track was last seen. A track
/// unmatched for longer than `maxGap` seconds ends; a person who comes back later gets a new id.
public struct PersonTracker: Sendable {
    public let maxGap: Double
    public let minSimilarity: Double
    public let reacquireReach: Double
    /// Keypoints scored at least this are clear; the people it returns carry it.
    public let clearScore: Double
    private var tracks: [Track] = []
    private var nextID = 1

    private struct Track {
        var id: Int
        var keypoints: [Keypoint]
        var lastSeen: Double
    }

    public init(maxGap: Double = 1.0, minSimilarity: Double = 0.1, reacquireReach: Double = 1.5, clearScore: Double = 0.5) {
        self.maxGap = maxGap
        self.clearScore = clearScore
        self.minSimilarity = minSimilarity
        self.reacquireReach = reacquireReach
    }

    /// Ids of the tracks still alive after the last update.
    public var activeIDs: Set<Int> { Set(tracks.map(\.id)) }

    /// Assigns ids to one frame's people (in the order given) and ages out lost tracks.
    public mutating func update(_ people: [PersonObservation], at time: Double) -> [TrackedPerson] {
        tracks.removeAll { time - $0.lastSeen > maxGap }
        var pairs: [(similarity: Double, person: Int, track: Int)] = []
        for (p, person) in people.enumerated() {
            for (t, track) in tracks.enumerated() {
                let similarity = max(PoseSimilarity.oks(track.keypoints, person.keypoints),
                                     Box(enclosing: track.keypoints.map(\.point)).iou(person.box))
                if similarity >= minSimilarity { pairs.append((similarity, p, t)) }
            }
        }
        pairs.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : ($0.person, $0.track) < ($1.person, $1.track) }
        var assigned = [Int?](repeating: nil, count: people.count)
        var taken = Set<Int>()
        for pair in pairs where assigned[pair.person] == nil && !taken.contains(pair.track) {
            assigned[pair.person] = pair.track
            taken.insert(pair.track)
        }
        var distances: [(reach: Double, person: Int, track: Int)] = []
        for (p, person) in people.enumerated() where assigned[p] == nil {
            let centre = person.box.center
            for (t, track) in tracks.enumerated() where !taken.contains(t) {
                let last = Box(enclosing: track.keypoints.map(\.point))
                let reach = centre.distance(to: last.center) / max(last.diagonal, 1)
                if reach <= reacquireReach { distances.append((reach, p, t)) }
            }
        }
        distances.sort { $0.reach != $1.reach ? $0.reach < $1.reach : ($0.person, $0.track) < ($1.person, $1.track) }
        for pair in distances where assigned[pair.person] == nil && !taken.contains(pair.track) {
            assigned[pair.person] = pair.track
            taken.insert(pair.track)
        }
        var result: [TrackedPerson] = []
        for (p, person) in people.enumerated() {
            let id: Int
            if let t = assigned[p] {
                id = tracks[t].id
                tracks[t].keypoints = person.keypoints
                tracks[t].lastSeen = time
            } else {
                id = nextID
                nextID += 1
                tracks.append(Track(id: id, keypoints: person.keypoints, lastSeen: time))
            }
            result.append(TrackedPerson(id: id, score: person.score, keypoints: person.keypoints, crop: person.crop, clearScore: clearScore))
        }
        return result
    }
}
