import Foundation

/// Options of MediaPipe's `SsdAnchorsCalculator`, as its graph configs state them.
public struct SSDAnchorOptions: Sendable, Equatable {
    public var numLayers: Int
    public var minScale: Double
    public var maxScale: Double
    public var inputWidth: Int
    public var inputHeight: Int
    public var anchorOffsetX: Double
    public var anchorOffsetY: Double
    public var strides: [Int]
    public var aspectRatios: [Double]
    public var interpolatedScaleAspectRatio: Double
    public var fixedAnchorSize: Bool

    public init(numLayers: Int, minScale: Double, maxScale: Double, inputWidth: Int, inputHeight: Int,
                anchorOffsetX: Double = 0.5, anchorOffsetY: Double = 0.5, strides: [Int], aspectRatios: [Double] = [1],
                interpolatedScaleAspectRatio: Double = 1, fixedAnchorSize: Bool = true) {
        self.numLayers = numLayers
        self.minScale = minScale
        self.maxScale = maxScale
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.anchorOffsetX = anchorOffsetX
        self.anchorOffsetY = anchorOffsetY
        self.strides = strides
        self.aspectRatios = aspectRatios
        self.interpolatedScaleAspectRatio = interpolatedScaleAspectRatio
        self.fixedAnchorSize = fixedAnchorSize
    }
}

/// One SSD anchor, in coordinates normalised to the detector's input (0…1).
public struct Anchor: Sendable, Equatable {
    public var centerX: Double
    public var centerY: Double
    public var width: Double
    public var height: Double
}

/// Generates the anchor grid a single-shot detector's outputs are offsets from.
public enum SSDAnchors {
    /// Anchors in the order the model emits its boxes: layer groups, then rows, columns, anchors.
    public static func generate(_ o: SSDAnchorOptions) -> [Anchor] {
        var anchors: [Anchor] = []
        var layer = 0
        while layer < o.numLayers {
            // Consecutive layers with the same stride share one feature map.
            var sizes: [(width: Double, height: Double)] = []
            var last = layer
            while last < o.numLayers, o.strides[last] == o.strides[layer] {
                let scale = anchorScale(o, last)
                for ratio in o.aspectRatios {
                    sizes.append((scale * ratio.squareRoot(), scale / ratio.squareRoot()))
                }
                if o.interpolatedScaleAspectRatio > 0 {
                    let next = last == o.numLayers - 1 ? 1.0 : anchorScale(o, last + 1)
                    let interpolated = (scale * next).squareRoot()
                    let ratio = o.interpolatedScaleAspectRatio
                    sizes.append((interpolated * ratio.squareRoot(), interpolated / ratio.squareRoot()))
                }
                last += 1
            }
            let stride = Double(o.strides[layer])
            let rows = Int((Double(o.inputHeight) / stride).rounded(.up))
            let columns = Int((Double(o.inputWidth) / stride).rounded(.up))
            for row in 0..<rows {
                for column in 0..<columns {
                    for size in sizes {
                        anchors.append(Anchor(
                            centerX: (Double(column) + o.anchorOffsetX) / Double(columns),
                            centerY: (Double(row) + o.anchorOffsetY) / Double(rows),
                            width: o.fixedAnchorSize ? 1 : size.width,
                            height: o.fixedAnchorSize ? 1 : size.height))
                    }
                }
            }
            layer = last
        }
        return anchors
    }

    private static func anchorScale(_ o: SSDAnchorOptions, _ index: Int) -> Double {
        o.strides.count == 1
            ? (o.minScale + o.maxScale) / 2
            : o.minScale + (o.maxScale - o.minScale) * Double(index) / Double(o.strides.count - 1)
    }
}
