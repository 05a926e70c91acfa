/// One keypoint's unbroken run of clear observations within one track, filtered forward by a
/// constant-velocity Kalman filter and smoothed backward (Rauch–Tung–Striebel) on demand.
///
/// Per axis the state is position and velocity; the velocity is a random walk driven by white
/// acceleration noise of spectral density `q`, and each observation has variance 1 (only the ratio
/// of the two shapes the result, so the unit is free). x and y share their covariances: the same
/// model, noise and timing. The first observation comes with a diffuse velocity, so the second
/// fixes it: nothing is assumed about how fast a keypoint starts. The smoothed track is a cubic
/// smoothing spline through the observations: a constant-speed motion passes through unchanged, so
/// smoothing adds no lag.
struct KalmanSegment: Sendable {
    /// Mean (position, velocity) per axis and the shared covariance [[a, b], [b, d]].
    struct Estimate: Sendable {
        var x: (p: Double, v: Double)
        var y: (p: Double, v: Double)
        var a: Double, b: Double, d: Double
    }

    private struct Step: Sendable {
        var frame: Int
        /// Seconds since the previous step (0 for the first).
        var dt: Double
        /// The estimate predicted from the previous step, before this step's observation.
        var predicted: Estimate
        var filtered: Estimate
    }

    /// Velocity variance of the first estimate, in observation variances per s²: large enough that the
    /// second observation alone sets the speed.
    static let diffuseVelocity = 1e10

    let q: Double
    private var steps: [Step] = []

    /// Frame of the newest observation.
    var lastFrame: Int { steps.last?.frame ?? -1 }
    var count: Int { steps.count }

    init(q: Double) {
        self.q = q
    }

    /// Adds the observation (x, y) at `frame`, `dt` seconds after the previous one.
    mutating func observe(x: Double, y: Double, frame: Int, dt: Double) {
        guard let last = steps.last else {
            let first = Estimate(x: (x, 0), y: (y, 0), a: 1, b: 0, d: Self.diffuseVelocity)
            steps.append(Step(frame: frame, dt: 0, predicted: first, filtered: first))
            return
        }
        let predicted = Self.predict(last.filtered, dt: dt, q: q)
        let s = predicted.a + 1
        let gain = (p: predicted.a / s, v: predicted.b / s)
        var filtered = predicted
        let rx = x - predicted.x.p, ry = y - predicted.y.p
        filtered.x = (predicted.x.p + gain.p * rx, predicted.x.v + gain.v * rx)
        filtered.y = (predicted.y.p + gain.p * ry, predicted.y.v + gain.v * ry)
        filtered.a = predicted.a / s
        filtered.b = predicted.b / s
        filtered.d = predicted.d - predicted.b * predicted.b / s
        steps.append(Step(frame: frame, dt: dt, predicted: predicted, filtered: filtered))
    }

    /// The position at `frame` given every observation so far: one backward pass from the newest step.
    func smoothed(at frame: Int) -> (x: Double, y: Double)? {
        guard let target = steps.firstIndex(where: { $0.frame == frame }) else { return nil }
        var later = steps[steps.count - 1].filtered
        var index = steps.count - 2
        while index >= target {
            let now = steps[index].filtered, next = steps[index + 1]
            let dt = next.dt, p = next.predicted
            // Gain C = P F' (P⁻)⁻¹, with P F' = [[a + b dt, b], [b + d dt, d]].
            let det = p.a * p.d - p.b * p.b
            let m00 = now.a + now.b * dt, m01 = now.b, m10 = now.b + now.d * dt, m11 = now.d
            let c00 = (m00 * p.d - m01 * p.b) / det, c01 = (m01 * p.a - m00 * p.b) / det
            let c10 = (m10 * p.d - m11 * p.b) / det, c11 = (m11 * p.a - m10 * p.b) / det
            var back = now
            let ex = (later.x.p - p.x.p, later.x.v - p.x.v), ey = (later.y.p - p.y.p, later.y.v - p.y.v)
            back.x = (now.x.p + c00 * ex.0 + c01 * ex.1, now.x.v + c10 * ex.0 + c11 * ex.1)
            back.y = (now.y.p + c00 * ey.0 + c01 * ey.1, now.y.v + c10 * ey.0 + c11 * ey.1)
            later = back
            index -= 1
        }
        return (later.x.p, later.y.p)
    }

    /// Forgets the steps up to and including `frame`, once no output needs them; the newest step,
    /// which the next observation continues from, is always kept.
    mutating func drop(through frame: Int) {
        let keep = steps.firstIndex(where: { $0.frame > frame }) ?? steps.count
        steps.removeFirst(min(keep, max(steps.count - 1, 0)))
    }

    /// The constant-velocity prediction `dt` seconds on, with white acceleration noise of density `q`.
    static func predict(_ e: Estimate, dt: Double, q: Double) -> Estimate {
        Estimate(x: (e.x.p + e.x.v * dt, e.x.v), y: (e.y.p + e.y.v * dt, e.y.v),
                 a: e.a + 2 * e.b * dt + e.d * dt * dt + q * dt * dt * dt / 3,
                 b: e.b + e.d * dt + q * dt * dt / 2,
                 d: e.d + q * dt)
    }
}
