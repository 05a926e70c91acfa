import Foundation

/// The float32 natural log MMPose's DARK, UDP and SimCC refinements take (`np.log` on float32 maps): numpy's
/// scalar loop calls the C library's `logf`, which this is. numpy's
/// AVX2 and AVX-512 loops differ from `logf` by an ulp on some values (7 % on AVX-512), which those steps amplify
/// at ill-conditioned border peaks to 1e−4 cell; the fixtures are written with them switched off
/// (Scripts/references/real-references.sh).
@inline(__always)
func float32Log(_ x: Float) -> Float { logf(x) }
