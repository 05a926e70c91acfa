import Foundation

/// Reads a YOLOX/RTMDet output as rtmlib 0.0.16's `YOLOX.postprocess` / `RTMDet.postprocess` do, in their
/// float32 arithmetic, giving boxes in rtmlib's frame pixels (input pixels ÷ the letterbox ratio).
///
/// End-to-end `dets` [1, N, 5]: every row scored above `endToEndThreshold`. Raw grid [1, cells, 5 + C]: cell i
/// of stride s at grid (gx, gy) has centre (v0 + gx, v1 + gy)·s and size exp(v2, v3)·s; its class scores are
/// objectness × class score; per class, scores above `scoreThreshold` go through rtmlib's `nms` (areas and
/// overlaps with the +1 of integer pixel boxes, kept when IoU ≤ the threshold), classes in order.
public struct LetterboxBoxDecoder: Sendable {
    public var inputWidth: Int
    public var inputHeight: Int
    public var strides: [Int]
    public var scoreThreshold: Float
    public var endToEndThreshold: Float
    public var nmsIouThreshold: Float
    public var personClass: Int?

    public init(inputWidth: Int, inputHeight: Int, strides: [Int] = [8, 16, 32], scoreThreshold: Double, endToEndThreshold: Double,
                nmsIouThreshold: Double, personClass: Int?) {
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.strides = strides
        self.scoreThreshold = Float(scoreThreshold)
        self.endToEndThreshold = Float(endToEndThreshold)
        self.nmsIouThreshold = Float(nmsIouThreshold)
        self.personClass = personClass
    }

    /// One scored box, corners (x1, y1, x2, y2) in rtmlib's pixels.
    public struct Box: Sendable, Equatable {
        public var x1, y1, x2, y2, score: Float
    }

    public enum Format: Sendable, Equatable {
        case endToEnd
        case grid(classes: Int)
    }

    /// Grid cells the input's size and the strides make.
    public var cellCount: Int { strides.reduce(0) { $0 + (inputHeight / $1) * (inputWidth / $1) } }

    /// What an output of `shape` holds, or nil when it is neither form.
    public func format(of shape: [Int]) -> Format? {
        guard shape.count == 3, let last = shape.last else { return nil }
        if last == 5 { return .endToEnd }
        if last > 5, shape[1] == cellCount || shape[1] < 0 { return .grid(classes: last - 5) }
        return nil
    }

    /// The boxes of one output, divided by `ratio`.
    public func decode(_ values: [Float], shape: [Int], ratio: Double) -> [Box] {
        let r = Float(ratio)
        switch format(of: shape) {
        case .endToEnd:
            return stride(from: 0, to: values.count - 4, by: 5).compactMap { i in
                let score = values[i + 4]
                guard score > endToEndThreshold else { return nil }
                return Box(x1: values[i] / r, y1: values[i + 1] / r, x2: values[i + 2] / r, y2: values[i + 3] / r, score: score)
            }
        case .grid(let classes):
            return grid(values, classes: classes, ratio: r)
        case nil:
            return []
        }
    }

    private func grid(_ values: [Float], classes: Int, ratio: Float) -> [Box] {
        let width = 5 + classes
        var boxes: [Box] = []
        var scores: [[Float]] = []
        var cell = 0
        for s in strides {
            let columns = inputWidth / s, rows = inputHeight / s
            for gy in 0..<rows {
                for gx in 0..<columns {
                    let v = values[(cell * width)..<((cell + 1) * width)].map { $0 }
                    cell += 1
                    // float32 outputs, float64 arithmetic with the integer grid, stored back as float32 (numpy).
                    let cx = Float((Double(v[0]) + Double(gx)) * Double(s)), cy = Float((Double(v[1]) + Double(gy)) * Double(s))
                    let w = Float(Double(Float(exp(Double(v[2])))) * Double(s)), h = Float(Double(Float(exp(Double(v[3])))) * Double(s))
                    boxes.append(Box(x1: (cx - w / 2) / ratio, y1: (cy - h / 2) / ratio, x2: (cx + w / 2) / ratio, y2: (cy + h / 2) / ratio,
                                     score: 0))
                    scores.append((0..<classes).map { v[4] * v[5 + $0] })
                }
            }
        }
        var kept: [Box] = []
        for c in 0..<classes where personClass == nil || personClass == c {
            let valid = boxes.indices.filter { scores[$0][c] > scoreThreshold }
            let candidates = valid.map { i -> Box in
                var b = boxes[i]
                b.score = scores[i][c]
                return b
            }
            kept += Self.nms(candidates, threshold: nmsIouThreshold)
        }
        return kept
    }

    /// rtmlib's `nms`: best score first (ties: the later box, as `argsort()[::-1]`), dropping boxes whose
    /// overlap with a kept one exceeds `threshold`, areas counted with +1.
    static func nms(_ boxes: [Box], threshold: Float) -> [Box] {
        var order = boxes.indices.sorted { boxes[$0].score != boxes[$1].score ? boxes[$0].score > boxes[$1].score : $0 > $1 }
        var kept: [Box] = []
        while let first = order.first {
            let a = boxes[first]
            kept.append(a)
            order = order.dropFirst().filter { overlap(a, boxes[$0]) <= threshold }
        }
        return kept
    }

    /// rtmlib's overlap: intersection over union of boxes whose sides count one pixel more, in float32.
    static func overlap(_ a: Box, _ b: Box) -> Float {
        func area(_ b: Box) -> Float { (b.x2 - b.x1 + 1) * (b.y2 - b.y1 + 1) }
        let w = max(0, min(a.x2, b.x2) - max(a.x1, b.x1) + 1), h = max(0, min(a.y2, b.y2) - max(a.y1, b.y1) + 1)
        let inter = w * h
        return inter / (area(a) + area(b) - inter)
    }
}
