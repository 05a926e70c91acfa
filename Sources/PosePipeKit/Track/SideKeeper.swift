import Foundation

/// Keeps each person's left keypoints left over time. Models of the BlazePose family sometimes label a
/// person's left limbs as right and the reverse for a stretch of frames, mostly when the face is hidden
/// or turned away. Seen over time that is a jump: every left joint lands where the track's right joint
/// was heading, and the reverse. A person who turns around swaps sides in the picture too, but
/// continuously, so the motion predicted from the last frames follows the turn.
///
/// Each frame, every mirror pair (the keypoint set's `flip`) whose two keypoints are clear and apart, now
/// and in two of the track's last frames, is compared with where the track's recent motion (place and
/// speed from those two) puts it, once as labelled and once swapped. The track changes its mind about
/// whether the model's labels are swapped only when the limbs agree: the other reading costs at most
/// `ratio` of the current one in total, is better by `margin` of the person's size per pair, and at least
/// `agreement` of the pairs prefer it on their own (a frame where the model mixed the sides up limb by
/// limb is no evidence either way). In between it keeps its last decision, so a swapped stretch stays
/// repaired to its end; a frame with too few pairs to compare decides nothing and is not used to predict
/// the next ones. A fresh track, or
/// one back from a gap, takes the model's labels as they come: motion says when labels jump, not which
/// side is right, so a person the model labels the wrong way round from their first frame stays so.
/// Decisions use positions only.
public struct SideKeeper: Sendable {
    /// Thresholds, set on the tuning footage (`Fixtures/pose2sim_multiperson_cam02.mp4`, the other three
    /// views of that scene and the sports2d clip); the evaluation views were never used.
    public struct Parameters: Sendable, Equatable {
        public var ratio = 0.5
        public var margin = 0.1
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
        /// The last frames as written (after any swap), newest last.
        var recent: [Frame] = []
        var swapped = false
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
            if track.recent.isEmpty { track = Track() }
            let size = Self.size(person.keypoints)
            let vote = compare(person.keypoints, size: size, with: track.recent, at: time)
            if let vote {
                let (current, other) = track.swapped ? (vote.mirrored, vote.given) : (vote.given, vote.mirrored)
                let total = (current: current.reduce(0, +), other: other.reduce(0, +))
                let preferring = zip(current, other).filter { $0.1 < $0.0 }.count
                if total.other < parameters.ratio * total.current,
                   total.current - total.other > parameters.margin * size * Double(current.count),
                   Double(preferring) >= parameters.agreement * Double(current.count) {
                    track.swapped.toggle()
                }
            }
            if track.swapped {
                person.keypoints = mirrored(person.keypoints)
                person.sidesSwapped = true
            }
            // A frame that decided nothing stays out of the motion later frames are held to, once there
            // is any: its labels were not checked.
            if vote != nil || track.recent.count < 2 {
                track.recent.append(Frame(time: time, keypoints: person.keypoints, size: size))
                if track.recent.count > 4 { track.recent.removeFirst() }
            }
            tracks[person.id] = track
            return person
        }
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
