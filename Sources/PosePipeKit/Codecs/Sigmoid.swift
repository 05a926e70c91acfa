import Foundation

/// Logistic function, for models that emit logits.
@inline(__always)
func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
