import Foundation
import Testing
@testable import PosePipeKit

/// A one-pixel frame: stages after the pose model look only at its index and time.
func tinyFrame(_ index: Int, pts: Double) -> VideoFrame {
    VideoFrame(index: index, pts: pts, width: 1, height: 1, rgb: [0, 0, 0])
}

/// The fixed-lag smoother against an independent statement of what it computes: the least-squares
/// track under the constant-velocity model, solved directly from the normal equations.
@Suite struct FixedLagSmootherTests {
    static let fps = 30.0
    let parameters = FixedLagSmoother.Parameters(cutoff: 3, lag: 0.2)

    /// Positions minimising Σ (z − p)² + Σ wᵀ Q⁻¹ w (w: each step's departure from constant velocity,
    /// Q its covariance) + v₀² / diffuse velocity variance: the Gaussian model the smoother assumes.
    static func leastSquares(_ z: [Double], times: [Double], q: Double) -> [Double] {
        let n = z.count, size = 2 * n
        var a = [[Double]](repeating: [Double](repeating: 0, count: size), count: size)
        var b = [Double](repeating: 0, count: size)
        for j in 0..<n {
            a[2 * j][2 * j] += 1
            b[2 * j] += z[j]
        }
        a[1][1] += 1 / KalmanSegment.diffuseVelocity
        for j in 0..<(n - 1) {
            let dt = times[j + 1] - times[j]
            // Q = q [[dt³/3, dt²/2], [dt²/2, dt]], inverted.
            let q11 = q * dt * dt * dt / 3, q12 = q * dt * dt / 2, q22 = q * dt
            let det = q11 * q22 - q12 * q12
            let w = [[q22 / det, -q12 / det], [-q12 / det, q11 / det]]
            // w = D x with D = [[-1, -dt, 1, 0], [0, -1, 0, 1]] over (p_j, v_j, p_j+1, v_j+1).
            let d = [[-1, -dt, 1, 0], [0, -1, 0, 1]]
            let index = [2 * j, 2 * j + 1, 2 * j + 2, 2 * j + 3]
            for r in 0..<4 {
                for c in 0..<4 {
                    var sum = 0.0
                    for k in 0..<2 { for l in 0..<2 { sum += d[k][r] * w[k][l] * d[l][c] } }
                    a[index[r]][index[c]] += sum
                }
            }
        }
        // Gaussian elimination with partial pivoting.
        for col in 0..<size {
            let pivot = (col..<size).max { abs(a[$0][col]) < abs(a[$1][col]) }!
            a.swapAt(col, pivot)
            b.swapAt(col, pivot)
            for row in (col + 1)..<size {
                let f = a[row][col] / a[col][col]
                for c in col..<size { a[row][c] -= f * a[col][c] }
                b[row] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: size)
        for row in stride(from: size - 1, through: 0, by: -1) {
            var s = b[row]
            for c in (row + 1)..<size { s -= a[row][c] * x[c] }
            x[row] = s / a[row][row]
        }
        return (0..<n).map { x[2 * $0] }
    }

    static var q: Double { pow(2 * Double.pi * 3, 4) / fps }

    /// A frame holding one person (id 1) with one keypoint per entry (nil: hidden, score 0.1).
    static func frame(_ index: Int, time: Double? = nil, _ points: [(Double, Double)?], id: Int = 1) -> FrameResult {
        let keypoints = points.map { p in p.map { Keypoint(x: $0.0, y: $0.1, score: 0.9) } ?? Keypoint(x: -5, y: -5, score: 0.1) }
        return FrameResult(frame: tinyFrame(index, pts: time ?? Double(index) / fps),
                           people: [TrackedPerson(id: id, score: 1, keypoints: keypoints)])
    }

    /// Every frame out of the smoother, in the order it gave them.
    static func run(_ frames: [FrameResult], parameters: FixedLagSmoother.Parameters) -> [FrameResult] {
        var smoother = FixedLagSmoother(parameters: parameters, fps: fps)
        var out: [FrameResult] = []
        for frame in frames {
            out += smoother.push(frame)
            #expect(smoother.heldCount <= smoother.lagFrames)
        }
        return out + smoother.finish()
    }

    /// A wobbly path with noise: x, y at frame i.
    static func path(_ i: Int) -> (Double, Double) {
        let t = Double(i) / fps
        return (300 + 80 * sin(2.1 * t) + 3 * sin(Double(i) * 2.7), 200 + 40 * t + 2 * cos(Double(i) * 1.9))
    }

    @Test func eachFrameIsTheLeastSquaresTrackOfEverythingSeenUpToLagFramesLater() {
        let n = 40
        let frames = (0..<n).map { Self.frame($0, [Self.path($0)]) }
        let out = Self.run(frames, parameters: parameters)
        let lag = FixedLagSmoother(parameters: parameters, fps: Self.fps).lagFrames
        #expect(lag == 6)
        #expect(out.map(\.frame.index) == Array(0..<n))
        let times = (0..<n).map { Double($0) / Self.fps }
        for j in 0..<n {
            let seen = min(n, j + lag + 1)
            let xs = Self.leastSquares((0..<seen).map { Self.path($0).0 }, times: Array(times[..<seen]), q: Self.q)
            let ys = Self.leastSquares((0..<seen).map { Self.path($0).1 }, times: Array(times[..<seen]), q: Self.q)
            let k = out[j].people[0].keypoints[0]
            #expect(abs(k.x - xs[j]) < 1e-7 && abs(k.y - ys[j]) < 1e-7, "frame \(j): \(k.x), \(k.y) vs \(xs[j]), \(ys[j])")
        }
    }

    /// The amplitude left of a sine of `hertz` after smoothing with a `cutoff` of 2 Hz at 60 fps.
    static func gain(hertz: Double) -> Double {
        let rate = 60.0, n = 1200
        var smoother = FixedLagSmoother(parameters: FixedLagSmoother.Parameters(cutoff: 2, lag: 30), fps: rate)
        var out: [FrameResult] = []
        for i in 0..<n {
            let x = 100 * sin(2 * Double.pi * hertz * Double(i) / rate)
            out += smoother.push(FrameResult(frame: tinyFrame(i, pts: Double(i) / rate),
                                             people: [TrackedPerson(id: 1, score: 1, keypoints: [Keypoint(x: x, y: 0, score: 1)])]))
        }
        out += smoother.finish()
        // Projection on the sine over whole periods in the middle, away from the ends.
        var s = 0.0, c = 0.0, count = 0
        for i in 300..<900 {
            let phase = 2 * Double.pi * hertz * Double(i) / rate
            s += out[i].people[0].keypoints[0].x * sin(phase)
            c += out[i].people[0].keypoints[0].x * cos(phase)
            count += 1
        }
        return 2 * (s * s + c * c).squareRoot() / Double(count) / 100
    }

    @Test func theCutoffHalvesAnOscillationAndPassesSlowMotion() {
        #expect(abs(Self.gain(hertz: 2) - 0.5) < 0.02, "\(Self.gain(hertz: 2))")
        #expect(Self.gain(hertz: 0.5) > 0.99)
        #expect(Self.gain(hertz: 6) < 0.02)
    }

    @Test func timestampsNotFrameCountsSetTheSteps() {
        let times = [0, 0.03, 0.05, 0.1, 0.12, 0.2, 0.21, 0.25, 0.33, 0.4]
        let frames = times.enumerated().map { Self.frame($0.offset, time: $0.element, [Self.path($0.offset)]) }
        let out = Self.run(frames, parameters: FixedLagSmoother.Parameters(cutoff: 3, lag: 10))
        let xs = Self.leastSquares((0..<times.count).map { Self.path($0).0 }, times: times, q: Self.q)
        for j in times.indices { #expect(abs(out[j].people[0].keypoints[0].x - xs[j]) < 1e-7) }
    }

    @Test func aConstantSpeedPassesUnchanged() {
        // The model's own motion: smoothing takes nothing off it, so a moving joint does not lag.
        let frames = (0..<30).map { Self.frame($0, [(10 + 7.5 * Double($0), 400 - 2 * Double($0))]) }
        for (i, result) in Self.run(frames, parameters: parameters).enumerated() {
            let k = result.people[0].keypoints[0]
            #expect(abs(k.x - (10 + 7.5 * Double(i))) < 1e-6 && abs(k.y - (400 - 2 * Double(i))) < 1e-6)
        }
    }

    @Test func hiddenKeypointsAreNeitherMovedNorUsedAndEndTheirRun() {
        // Keypoint 0 is hidden on frame 10 at a wild place; keypoint 1 is seen throughout.
        let frames = (0..<24).map { i in Self.frame(i, [i == 10 ? nil : Self.path(i), Self.path(i + 50)]) }
        let out = Self.run(frames, parameters: FixedLagSmoother.Parameters(cutoff: 3, lag: 10))
        let times = (0..<24).map { Double($0) / Self.fps }
        #expect(out[10].people[0].keypoints[0] == Keypoint(x: -5, y: -5, score: 0.1))
        let before = Self.leastSquares((0..<10).map { Self.path($0).0 }, times: Array(times[0..<10]), q: Self.q)
        let after = Self.leastSquares((11..<24).map { Self.path($0).0 }, times: Array(times[11..<24]), q: Self.q)
        for j in 0..<10 { #expect(abs(out[j].people[0].keypoints[0].x - before[j]) < 1e-7) }
        for j in 11..<24 { #expect(abs(out[j].people[0].keypoints[0].x - after[j - 11]) < 1e-7) }
        let whole = Self.leastSquares((0..<24).map { Self.path($0 + 50).0 }, times: times, q: Self.q)
        for j in 0..<24 { #expect(abs(out[j].people[0].keypoints[1].x - whole[j]) < 1e-7) }
    }

    @Test func aPersonMissingFromAFrameStartsAfreshAndOthersAreUntouched() {
        var frames: [FrameResult] = []
        for i in 0..<20 {
            var frame = Self.frame(i, [Self.path(i)])
            if i == 8 { frame.people = [] }
            frames.append(frame)
        }
        let out = Self.run(frames, parameters: FixedLagSmoother.Parameters(cutoff: 3, lag: 10))
        let times = (0..<20).map { Double($0) / Self.fps }
        #expect(out[8].people.isEmpty)
        let after = Self.leastSquares((9..<20).map { Self.path($0).0 }, times: Array(times[9..<20]), q: Self.q)
        for j in 9..<20 { #expect(abs(out[j].people[0].keypoints[0].x - after[j - 9]) < 1e-7) }
    }

    @Test func twoPeopleAreSmoothedApartWhateverTheirOrder() {
        var frames: [FrameResult] = []
        for i in 0..<16 {
            let a = TrackedPerson(id: 1, score: 1, keypoints: [Keypoint(x: Self.path(i).0, y: 0, score: 0.9)])
            let b = TrackedPerson(id: 2, score: 1, keypoints: [Keypoint(x: 1000 + Self.path(i + 9).0, y: 0, score: 0.9)])
            frames.append(FrameResult(frame: tinyFrame(i, pts: Double(i) / Self.fps), people: i % 2 == 0 ? [a, b] : [b, a]))
        }
        let out = Self.run(frames, parameters: FixedLagSmoother.Parameters(cutoff: 3, lag: 10))
        let times = (0..<16).map { Double($0) / Self.fps }
        let xa = Self.leastSquares((0..<16).map { Self.path($0).0 }, times: times, q: Self.q)
        for j in 0..<16 {
            #expect(out[j].people.map(\.id) == (j % 2 == 0 ? [1, 2] : [2, 1]), "order is kept")
            let a = out[j].people.first { $0.id == 1 }!
            #expect(abs(a.keypoints[0].x - xa[j]) < 1e-7)
        }
    }

    @Test func memoryStaysFlatOverALongTrack() {
        var smoother = FixedLagSmoother(parameters: FixedLagSmoother.defaultParameters, fps: 60)
        var written = 0
        for i in 0..<3000 {
            // Keypoint 1 is hidden every 7th frame, so runs keep ending and starting.
            written += smoother.push(Self.frame(i, time: Double(i) / 60, [Self.path(i), i % 7 == 0 ? nil : Self.path(i + 3)])).count
            #expect(smoother.heldCount <= 30)
            #expect(smoother.storedSteps <= 2 * 31)
        }
        #expect(written + smoother.finish().count == 3000)
    }

    @Test func aZeroLagIsAForwardFilterThatWritesAtOnce() {
        var smoother = FixedLagSmoother(parameters: FixedLagSmoother.Parameters(cutoff: 3, lag: 0), fps: Self.fps)
        for i in 0..<10 {
            let out = smoother.push(Self.frame(i, [Self.path(i)]))
            #expect(out.map(\.frame.index) == [i])
        }
    }
}

@Suite struct SmoothingModeTests {
    func info(_ source: String, duration: Double?) -> VideoInfo {
        VideoInfo(source: source, width: 64, height: 64, fps: 30, duration: duration, codec: "h264", orientation: .upright)
    }

    @Test func inputsThatEndAreSmoothedOfflineLiveOnesOnline() {
        let automatic = Smoothing()
        #expect(automatic.mode(for: info(Fixtures.sports2d, duration: 7.7)) == .offline)
        #expect(automatic.mode(for: info(Fixtures.sports2d, duration: nil)) == .offline, "a regular file ends")
        #expect(automatic.mode(for: info("-", duration: 7.7)) == .offline, "a container on stdin that states its length")
        #expect(automatic.mode(for: info("-", duration: nil)) == .online)
        #expect(automatic.mode(for: info("rtsp://camera.local/stream", duration: nil)) == .online)
        #expect(automatic.mode(for: info("/dev/stdin", duration: nil)) == .online, "not a regular file")
        #expect(Smoothing(mode: .online).mode(for: info(Fixtures.sports2d, duration: 7.7)) == .online)
        #expect(Smoothing.off.mode(for: info(Fixtures.sports2d, duration: 7.7)) == Smoothing.Mode.none)
    }

    @Test func theLookaheadIsTheWindowOnlyWhenSmoothingOffline() {
        #expect(PipelineOptions().lookahead(for: info(Fixtures.sports2d, duration: 7.7)) == 15)
        #expect(PipelineOptions().lookahead(for: info("-", duration: nil)) == 0)
        #expect(PipelineOptions(smoothing: .off).lookahead(for: info(Fixtures.sports2d, duration: 7.7)) == 0)
    }
}

@Suite struct OfflineSmoothingPipelineTests {
    @Test func framesHeldBackKeepNoPixelsUnlessAskedTo() throws {
        var options = PipelineOptions(threads: 2, maxFrames: 12)
        options.keepsPixels = { $0 == 4 }
        let pipeline = try PosePipeline(description: try PipelineDescription.load("blazepose"), options: options)
        var results: [FrameResult] = []
        _ = try pipeline.run(try VideoDecoder(source: Fixtures.pedestrians)) { results.append($0) }
        #expect(results.map(\.frame.index) == Array(0..<12))
        #expect(results.map { $0.frame.rgb.isEmpty } == (0..<12).map { $0 != 4 })
        #expect(results[4].frame.rgb.count == 768 * 576 * 3 && results[7].frame.width == 768)
    }
}
