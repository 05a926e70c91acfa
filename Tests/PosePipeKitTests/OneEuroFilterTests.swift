import Foundation
import Testing
@testable import PosePipeKit

@Suite struct OneEuroFilterTests {
    let parameters = OneEuroFilter.Parameters(minCutoff: 1, beta: 0, derivativeCutoff: 1)

    @Test func firstSamplePassesThroughThenLowPasses() {
        var filter = OneEuroFilter(parameters)
        #expect(filter.filter(10, at: 0) == 10)
        // beta 0: a plain low-pass with alpha = 1 / (1 + tau/dt), tau = 1/(2π).
        let alpha = 1 / (1 + 1 / (2 * Double.pi) / 0.1)
        #expect(abs(filter.filter(20, at: 0.1) - (10 + alpha * 10)) < 1e-12)
    }

    @Test func timestampsNotFrameCountsSetTheSmoothing() {
        // The same step seen after a longer gap is followed more closely.
        var fast = OneEuroFilter(parameters), slow = OneEuroFilter(parameters)
        _ = fast.filter(0, at: 0)
        _ = slow.filter(0, at: 0)
        #expect(slow.filter(1, at: 0.5) > fast.filter(1, at: 0.05))
    }

    @Test func speedRaisesTheCutoff() {
        var still = OneEuroFilter(OneEuroFilter.Parameters(minCutoff: 0.5, beta: 0, derivativeCutoff: 1))
        var eager = OneEuroFilter(OneEuroFilter.Parameters(minCutoff: 0.5, beta: 5, derivativeCutoff: 1))
        var a = 0.0, b = 0.0
        for i in 0...30 {
            a = still.filter(Double(i), at: Double(i) / 30)
            b = eager.filter(Double(i), at: Double(i) / 30)
        }
        #expect(30 - b < (30 - a) / 2, "beta must cut the lag on a steady ramp: \(a) vs \(b)")
    }

    @Test func repeatedTimestampDoesNotDivideByZero() {
        var filter = OneEuroFilter(parameters)
        _ = filter.filter(1, at: 1)
        #expect(filter.filter(5, at: 1) == 1)
        #expect(filter.filter(5, at: 2).isFinite)
    }
}
