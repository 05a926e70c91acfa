import Foundation

/// MMPose's max-preserving heatmap modulation, `gaussian_blur` in mmpose/codecs/utils/post_processing.py,
/// shared by the Megvii, DARK and UDP decodes.
///
/// Each channel is zero-padded by (k − 1)/2 cells, blurred as `cv2.GaussianBlur(map, (k, k), 0)` does on
/// float32 data, cropped back and multiplied by `original max / blurred max` (one float32 ratio). The
/// kernel is OpenCV's `getGaussianKernel(k, 0)`: fixed tables for k = 3, 5, 7 and 9 (the 9-tap table is
/// in opencv-python 4.10 and 5.0, checked), otherwise σ = 0.3·((k − 1)/2 − 1) + 0.8 sampled and normalised
/// in double precision, then rounded to float. The filter repeats OpenCV's float32 arithmetic on an FMA machine (row pass: k ≤ 5 as
/// `SymmRowSmallVec_32f`, else one fused multiply-add per tap from the left; column pass: centre tap, then
/// fused pairs outward as `SymmColumnVec_32f`), which matches opencv-python-headless 4.10 bit for bit on
/// the fixtures. A map whose blurred maximum is exactly 0 is left unscaled, where MMPose would divide by
/// zero and fill it with NaN.
public struct GaussianBlur: Sendable {
    public let kernelSize: Int
    /// The kernel's taps, as `cv2.getGaussianKernel(kernelSize, 0, CV_32F)` returns them.
    public let weights: [Float]

    /// `kernelSize` must be odd and at least 3 (MMPose's padding slice is empty for 1).
    public init(kernelSize: Int) {
        precondition(kernelSize >= 3 && kernelSize % 2 == 1, "Gaussian kernel size \(kernelSize) is not odd ≥ 3")
        self.kernelSize = kernelSize
        weights = Self.openCVKernel(size: kernelSize)
    }

    /// OpenCV's `getGaussianKernelBitExact` for σ ≤ 0 (modules/imgproc/src/smooth.dispatch.cpp), as float.
    public static func openCVKernel(size n: Int) -> [Float] {
        switch n {
        case 1: return [1]
        case 3: return [0.25, 0.5, 0.25]
        case 5: return [0.0625, 0.25, 0.375, 0.25, 0.0625]
        case 7: return [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125]
        case 9: return [4, 13, 30, 51, 60, 51, 30, 13, 4].map { Float($0) / 256 }
        default: break
        }
        let sigma = 0.35.addingProduct(Double(n), 0.15)
        let scale = -0.125 / (sigma * sigma)
        let half = (n - 1) / 2
        // x runs over twice the tap offset (1 − n, 3 − n, …), hence −1/8 instead of −1/2 above.
        let tails = (0..<half).map { i -> Double in
            let x = Double(1 - n + 2 * i)
            return exp(x * x * scale)
        }
        let total = tails.reduce(0, +) * 2 + 1
        let norm = 1 / total
        let side = tails.map { Float($0 * norm) }
        return side + [Float(norm)] + side.reversed()
    }

    /// `gaussian_blur(heatmaps, kernelSize)`: every channel blurred and rescaled to its own maximum.
    public func modulated(_ heatmaps: Heatmaps) -> Heatmaps {
        let planes = (0..<heatmaps.channels).map { k -> [Float] in
            let plane = heatmaps.plane(k)
            var out = blurred(plane, width: heatmaps.width, height: heatmaps.height)
            let top = Self.maximum(plane), blurredTop = Self.maximum(out)
            if blurredTop != 0 {
                let ratio = top / blurredTop
                for i in out.indices { out[i] *= ratio }
            }
            return out
        }
        return Heatmaps(planes: planes, height: heatmaps.height, width: heatmaps.width)
    }

    /// `np.max`: a NaN anywhere is the maximum.
    static func maximum(_ values: [Float]) -> Float {
        var best = -Float.infinity
        for v in values {
            if v.isNaN { return v }
            best = max(best, v)
        }
        return best
    }

    /// The blur alone on one row-major plane, with zeros outside it.
    public func blurred(_ plane: [Float], width: Int, height: Int) -> [Float] {
        let r = kernelSize / 2
        let k = weights
        var rows: [Float] = []
        rows.reserveCapacity(plane.count)
        for y in 0..<height {
            rows += blurredRow(Array(plane[(y * width)..<((y + 1) * width)]))
        }
        func rowValue(_ x: Int, _ y: Int) -> Float { y >= 0 && y < height ? rows[y * width + x] : 0 }
        var out = [Float](repeating: 0, count: plane.count)
        for y in 0..<height {
            for x in 0..<width {
                var s = k[r] * rowValue(x, y)
                for j in 1...r { s = s.addingProduct(rowValue(x, y - j) + rowValue(x, y + j), k[r + j]) }
                out[y * width + x] = s
            }
        }
        return out
    }

    /// The row pass alone on one row, with zeros outside it: `cv2.GaussianBlur(row, (k, 1), 0)`, as MMPose's
    /// `gaussian_blur1d` runs it on SimCC vectors.
    public func blurredRow(_ row: [Float]) -> [Float] {
        let r = kernelSize / 2, k = weights, width = row.count
        func at(_ x: Int) -> Float { x >= 0 && x < width ? row[x] : 0 }
        return (0..<width).map { x in
            var s: Float
            if kernelSize <= 5 {
                s = k[r + 1] * (at(x - 1) + at(x + 1))
                s = s.addingProduct(at(x), k[r])
                if kernelSize == 5 { s = s.addingProduct(at(x - 2) + at(x + 2), k[r + 2]) }
            } else {
                s = 0
                for j in 0..<kernelSize { s = s.addingProduct(k[j], at(x + j - r)) }
            }
            return s
        }
    }
}
