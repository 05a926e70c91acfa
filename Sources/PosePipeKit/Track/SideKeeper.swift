import Foundation

/// Keeps each person's left keypoints left over time. Models of the BlazePose family sometimes label a
/// person's left limbs as right and the reverse for a stretch of frames, mostly when the face is hidden
/// or turned away. Seen over time that is a jump: every left joint lands where the track's right joint
/// was heading, and the reverse. A person who turns around swaps sides in the picture too, but
/// continuously, so the motion predicted from the last frames follows the turn.
///
/// Each frame, every mirror pair (the keypoint set's `flip`) whose two keypoints are clear and apart, now
/// and in two of the track's recent frames, is compared with where the track's motion (place and speed from
/// those two) puts it, once as labelled and once swapped. A reading wins only when the limbs agree: it costs
/// at most `ratio` of the other in total, is better by `margin` of the person's size per pair, and at least
/// `agreement` of the pairs prefer it on their own. When the swapped reading wins the frame is written
/// swapped back; otherwise it is written as the model labels it, the model being right on most frames. Only
/// frames where a reading won feed the motion later frames are held to, so a frame the model mixed up limb
/// by limb, or with too few pairs to tell, neither decides nor misleads; and a wrong decision cannot
/// outlast the evidence for it, where a track that flipped a state on every jump would carry one missed
/// jump to its end. A fresh track, or one back from a gap, takes the model's labels: motion tells when
/// labels jump, not which side is right, so a person labelled the wrong way round from their first frame
/// stays so. Decisions use positions only.
public struct SideKeeper: Sendable {
    /// Thresholds, set on the tuning footage (`Fixtures/pose2sim_multiperson_cam02.mp4`, the other three
    /// views of that scene and the sports2d clip); the evaluation views were never used, but the MultiPerson
    /// scene is a re-render of their capture, so they are not independent of these values.
    public struct Parameters: Sendable, Equatable {
        /// The winning reading costs at most this fraction of the other …
        public var ratio = 0.5
        /// … is better by this fraction of the person's size per pair …
        public var margin = 0.1
        /// … and is preferred by at least this fraction of the pairs on their own.
        public var agreement = 0.75
        /// Pairs that must be compared before anything is decided.
        public var minPairs = 2
        /// A pair whose keypoints lie closer than this fraction of the person's size says nothing about
        /// which is which (the model sometimes puts both on one limb).
        public var apart = 0.05
        /// History older than this (seconds) says nothing about where a joint is now.
        public var maxGap = 0.25

        public init() {}
    }

    /// `flip[k]`: the keypoint k becomes in a mirrored picture.
    public let flip: [Int]
    public let minScore: Double
    public let parameters: Parameters

    private struct Frame {
        var time: Double
        var keypoints: [Keypoint]
        var size: Double
    }

    private struct Track {
        /// The last decided frames as written (after any swap), newest last.
        var recent: [Frame] = []
    }

    private var tracks: [Int: Track] = [:]
    private let pairs: [(Int, Int)]

    public init(flip: [Int], minScore: Double = 0.5, parameters: Parameters = Parameters()) {
        self.flip = flip
        self.minScore = minScore
        self.parameters = parameters
        pairs = flip.enumerated().filter { $0.offset < $0.element }.map { ($0.offset, $0.element) }
    }

    /// One frame's tracked people, with left and right swapped back where a track says so.
    public mutating func keep(_ people: [TrackedPerson], at time: Double, activeIDs: Set<Int>) -> [TrackedPerson] {
        tracks = tracks.filter { activeIDs.contains($0.key) }
        return people.map { person in
            var person = person
            var track = tracks[person.id] ?? Track()
            track.recent.removeAll { time - $0.time > parameters.maxGap || $0.time >= time }
            let size = Self.size(person.keypoints)
            var decided: Bool?  // true: swapped back, false: as labelled, nil: no reading won
            if let vote = compare(person.keypoints, size: size, with: track.recent, at: time) {
                if wins(vote.mirrored, over: vote.given, size: size) {
                    decided = true
                } else if wins(vote.given, over: vote.mirrored, size: size) {
                    decided = false
                }
            }
            if decided == true {
                person.keypoints = mirrored(person.keypoints)
                person.sidesSwapped = true
            }
            if decided != nil || track.recent.count < 2 {
                track.recent.append(Frame(time: time, keypoints: person.keypoints, size: size))
                if track.recent.count > 4 { track.recent.removeFirst() }
            }
            tracks[person.id] = track
            return person
        }
    }

    /// Whether the reading costing `costs` per pair clearly beats the one costing `others`.
    private func wins(_ costs: [Double], over others: [Double], size: Double) -> Bool {
        let total = costs.reduce(0, +), otherTotal = others.reduce(0, +)
        let preferring = zip(costs, others).filter { $0.0 < $0.1 }.count
        return total < parameters.ratio * otherTotal && otherTotal - total > parameters.margin * size * Double(costs.count)
            && Double(preferring) >= parameters.agreement * Double(costs.count)
    }

    /// The keypoints with every mirror pair exchanged, scores and all.
    public func mirrored(_ keypoints: [Keypoint]) -> [Keypoint] {
        keypoints.indices.map { keypoints[flip[$0]] }
    }

    /// The larger side of the box around all keypoints, hidden ones included: their guessed places still
    /// span the body when only a few joints are clear.
    static func size(_ keypoints: [Keypoint]) -> Double {
        let box = Box(enclosing: keypoints.map(\.point))
        return max(box.width, box.height, 1)
    }

    private func distinct(_ keypoints: [Keypoint], _ pair: (Int, Int), size: Double) -> Bool {
        let l = keypoints[pair.0], r = keypoints[pair.1]
        return l.score >= minScore && r.score >= minScore && l.point.distance(to: r.point) > parameters.apart * size
    }

    /// Per comparable pair, its distance from the predicted places as labelled and swapped; nil when fewer
    /// than `minPairs` pairs can be compared.
    private func compare(_ keypoints: [Keypoint], size: Double, with recent: [Frame], at time: Double)
        -> (given: [Double], mirrored: [Double])? {
        var given: [Double] = [], swapped: [Double] = []
        for pair in pairs where distinct(keypoints, pair, size: size) {
            // The pair's newest two frames in which it was seen apart: its place and speed. One frame is
            // not enough: a track's first frame may itself be a mistake of the model's.
            let seen = recent.filter { distinct($0.keypoints, pair, size: $0.size) }
            guard seen.count >= 2 else { continue }
            let last = seen[seen.count - 1], before = seen[seen.count - 2]
            func predicted(_ k: Int) -> Point2 {
                let p = last.keypoints[k].point
                let q = before.keypoints[k].point, step = (time - last.time) / (last.time - before.time)
                return Point2(x: p.x + (p.x - q.x) * step, y: p.y + (p.y - q.y) * step)
            }
            let l = keypoints[pair.0].point, r = keypoints[pair.1].point
            let pl = predicted(pair.0), pr = predicted(pair.1)
            given.append(l.distance(to: pl) + r.distance(to: pr))
            swapped.append(r.distance(to: pl) + l.distance(to: pr))
        }
        return given.count >= parameters.minPairs ? (given, swapped) : nil
    }
}
