import Foundation

/// Casiez, Roussel and Vogel's One Euro filter (CHI 2012): a low-pass filter whose cutoff rises
/// with speed, so still keypoints stop jittering and moving ones do not lag.
public struct OneEuroFilter: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Cutoff in Hz when still: lower smooths more.
        public var minCutoff: Double
        /// How fast the cutoff rises with speed: higher lags less.
        public var beta: Double
        /// Cutoff in Hz of the speed estimate.
        public var derivativeCutoff: Double

        public init(minCutoff: Double, beta: Double, derivativeCutoff: Double) {
            self.minCutoff = minCutoff
            self.beta = beta
            self.derivativeCutoff = derivativeCutoff
        }
    }

    public let parameters: Parameters
    private var last: (time: Double, value: Double, derivative: Double)?

    public init(_ parameters: Parameters) {
        self.parameters = parameters
    }

    /// Filters `value` observed at `time` seconds. `speedScale` divides the speed before it
    /// raises the cutoff, so `beta` can be stated in units that do not depend on image size.
    public mutating func filter(_ value: Double, at time: Double, speedScale: Double = 1) -> Double {
        guard let last, time > last.time else {
            // First sample, or a timestamp that did not advance: nothing to smooth against.
            if self.last == nil { self.last = (time, value, 0) }
            return self.last!.value
        }
        let dt = time - last.time
        let derivative = Self.smooth((value - last.value) / dt, previous: last.derivative,
                                     alpha: Self.alpha(cutoff: parameters.derivativeCutoff, dt: dt))
        let cutoff = parameters.minCutoff + parameters.beta * abs(derivative) / max(speedScale, .leastNonzeroMagnitude)
        let filtered = Self.smooth(value, previous: last.value, alpha: Self.alpha(cutoff: cutoff, dt: dt))
        self.last = (time, filtered, derivative)
        return filtered
    }

    private static func alpha(cutoff: Double, dt: Double) -> Double {
        let tau = 1 / (2 * Double.pi * cutoff)
        return 1 / (1 + tau / dt)
    }

    private static func smooth(_ value: Double, previous: Double, alpha: Double) -> Double {
        alpha * value + (1 - alpha) * previous
    }
}
