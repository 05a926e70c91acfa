import Foundation

/// Offline temporal smoothing: each frame is held back `lag` seconds, then every clear keypoint is
/// smoothed with what the track did before and after it (a fixed-lag Rauch–Tung–Striebel smoother
/// on a constant-velocity model, `KalmanSegment`), so the track is both steadier and free of the lag
/// a filter that looks back only must have. Memory stays flat: only the window is kept.
///
/// Smoothing never crosses a gap: a keypoint's run ends where it is hidden (scored below `minScore`)
/// or its person is missing from a frame, and starts afresh after. Hidden keypoints are written as
/// seen and never move a run. Frames come out in order, each exactly once; `finish()` hands over
/// the frames still held, smoothed with what is known (call it at the end, on a stop and on errors).
public struct FixedLagSmoother: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// The frequency in Hz at which the smoother halves a keypoint's oscillation: lower is smoother;
        /// motion well below it passes unchanged.
        public var cutoff: Double
        /// Seconds of future frames each frame waits for.
        public var lag: Double

        public init(cutoff: Double, lag: Double) {
            self.cutoff = cutoff
            self.lag = lag
        }
    }

    /// 6 Hz: the lowest cutoff that kept the smoothed tracks within 4.8 thousandths of the person's size of
    /// the unsmoothed ones on the tuning clips (sports2d, pose2sim MultiPerson; README, Performance).
    public static let defaultParameters = Parameters(cutoff: 6, lag: 0.5)

    public let parameters: Parameters
    public let minScore: Double
    /// Frames held back: `lag` at the stream's nominal rate.
    public let lagFrames: Int
    /// Nominal seconds per frame, also the step used where timestamps do not advance.
    private let frameInterval: Double
    private let q: Double

    /// A held frame and, per person and keypoint, the run that smooths it.
    private var held: [(result: FrameResult, runs: [[Int?]])] = []
    private var runs: [Int: KalmanSegment] = [:]
    private var nextRun = 0
    /// The people of the newest frame: their open run per keypoint, and the frame's time.
    private var open: [Int: [Int?]] = [:]
    private var lastTime: Double?

    /// - Parameter fps: the stream's nominal frame rate (falls back to 30 when unknown).
    public init(parameters: Parameters = Self.defaultParameters, fps: Double, minScore: Double = 0.5) {
        self.parameters = parameters
        self.minScore = minScore
        let rate = fps.isFinite && fps > 0 ? fps : 30
        frameInterval = 1 / rate
        lagFrames = max(0, Int((parameters.lag * rate).rounded()))
        // The steady smoother passes 1 / (1 + (ω / ω_c)⁴) of a frequency ω, ω_c⁴ = q / (variance · frame
        // interval); observations have unit variance.
        q = pow(2 * Double.pi * parameters.cutoff, 4) * frameInterval
    }

    /// Frames held back now.
    public var heldCount: Int { held.count }

    /// Filter steps kept for the held frames, all keypoints together (memory use).
    var storedSteps: Int { runs.values.reduce(0) { $0 + $1.count } }

    /// Takes the next frame (frames must come in order) and returns those now `lagFrames` behind it.
    public mutating func push(_ result: FrameResult) -> [FrameResult] {
        guard !result.skipped else {
            // Nobody looked at a skipped frame: runs stay open across it, and the next frame's step
            // spans its time.
            held.append((result, []))
            return releaseBeyondLag()
        }
        let time = result.frame.pts
        var dt = lastTime.map { time - $0 } ?? 0
        if !(dt > 0) { dt = frameInterval }
        lastTime = time
        var nowOpen: [Int: [Int?]] = [:]
        var links: [[Int?]] = []
        for person in result.people {
            let before = open[person.id]
            var personLinks: [Int?] = []
            for (k, keypoint) in person.keypoints.enumerated() {
                guard keypoint.score >= minScore, keypoint.x.isFinite, keypoint.y.isFinite else {
                    personLinks.append(nil)
                    continue
                }
                let id: Int
                if let continued = before.flatMap({ k < $0.count ? $0[k] : nil }) {
                    id = continued
                } else {
                    id = nextRun
                    nextRun += 1
                    runs[id] = KalmanSegment(q: q)
                }
                runs[id]!.observe(x: keypoint.x, y: keypoint.y, frame: result.frame.index, dt: dt)
                personLinks.append(id)
            }
            nowOpen[person.id] = personLinks
            links.append(personLinks)
        }
        open = nowOpen
        held.append((result, links))
        return releaseBeyondLag()
    }

    private mutating func releaseBeyondLag() -> [FrameResult] {
        var out: [FrameResult] = []
        while held.count > lagFrames { out.append(release()) }
        return out
    }

    /// Every frame still held, oldest first, smoothed with the frames known so far.
    public mutating func finish() -> [FrameResult] {
        var out: [FrameResult] = []
        while !held.isEmpty { out.append(release()) }
        open = [:]
        runs = [:]
        return out
    }

    private mutating func release() -> FrameResult {
        var (result, links) = held.removeFirst()
        let frame = result.frame.index
        for (p, personLinks) in links.enumerated() {
            for (k, link) in personLinks.enumerated() {
                guard let link, let smoothed = runs[link]?.smoothed(at: frame) else { continue }
                result.people[p].keypoints[k].x = smoothed.x
                result.people[p].keypoints[k].y = smoothed.y
            }
        }
        // Runs no held frame needs any more are forgotten; the others drop the released step.
        let stillOpen = Set(open.values.flatMap { $0.compactMap { $0 } })
        for link in Set(links.flatMap { $0.compactMap { $0 } }) {
            if runs[link]!.lastFrame <= frame && !stillOpen.contains(link) {
                runs[link] = nil
            } else {
                runs[link]!.drop(through: frame)
            }
        }
        return result
    }
}
