import Foundation
import Testing
@testable import PosePipeKit

/// Every codec against MMPose 1.3.2's own decodes (Scripts/references/mmpose_references.py, run in a pinned venv by
/// Scripts/references/real-references.sh) and, for HRNet's `get_final_preds` and Newell's Stacked Hourglass decode,
/// which no installable package has, against hand-written ones (Scripts/references/codec_reference.py).
/// Argmax and quarter-cell rules are compared exactly in heatmap cells (Megvii's cells, which the fixture derives
/// by dividing MMPose's input pixels by its float32 scale, to 1e−5 cell), scores exactly, the blur bit for bit;
/// input pixels to 1e−4 px and the Newton-step cells of DARK and UDP to 1e−5 cell. The float32 log is the C
/// library's in both (numpy's SIMD loops are switched off for the fixtures).
@Suite struct CodecReferenceTests {
    static let pixelTolerance = 1e-4
    static let cellTolerance = 1e-5

    let maps: [String: Heatmaps]

    init() throws {
        maps = try CodecFixtures.heatmaps()
    }

    /// Decodes every case of a fixture file and compares it; `exactCells` for argmax/quarter rules.
    func check(_ file: String, exactCells: Bool, cell: (Heatmaps, Int, CodecFixtures.Case) -> (Double, Double),
               codec: (CodecFixtures.Case) -> any HeatmapCodec) throws {
        let cases = try CodecFixtures.cases(file)
        #expect(!cases.isEmpty)
        var cells = Deviation(), pixels = Deviation()
        for c in cases {
            let hm = try #require(maps[c.heatmap], "\(c.heatmap) missing from heatmaps.json")
            let decoded = codec(c).decode(hm, inputWidth: c.inputWidth, inputHeight: c.inputHeight)
            #expect(decoded.count == c.keypoints.count)
            for (k, (got, want)) in zip(decoded, c.keypoints).enumerated() {
                let (cx, cy) = cell(hm, k, c)
                if exactCells {
                    #expect(cx == want[0] && cy == want[1], "\(file) \(c.heatmap) k=\(k): cell (\(cx), \(cy)) vs (\(want[0]), \(want[1]))")
                } else {
                    #expect(cells.add(cx, want[0]) && cells.add(cy, want[1]))
                }
                #expect(pixels.add(got.x, want[2]) && pixels.add(got.y, want[3]))
                #expect(got.score == want[4], "\(file) \(c.heatmap) k=\(k): score \(got.score) vs \(want[4])")
            }
        }
        #expect(cells.largest <= Self.cellTolerance, "\(file): cells differ by \(cells.largest)")
        #expect(pixels.largest <= Self.pixelTolerance, "\(file): input pixels differ by \(pixels.largest)")
    }

    /// The decodes whose cells come from an argmax and quarter-cell rules alone.
    enum ArgmaxDecode: String, CaseIterable, Sendable {
        case msra, hrnet, newell
    }

    @Test(arguments: ArgmaxDecode.allCases)
    func argmaxDecodesMatchTheirSources(_ decode: ArgmaxDecode) throws {
        let codec: any HeatmapCodec
        let cell: (Heatmaps, Int) -> (Double, Double)
        switch decode {
        case .msra, .hrnet:
            let msra = MSRAHeatmapCodec(guard: decode == .msra ? .axis : .joint)
            (codec, cell) = (msra, { let p = msra.peak($0, channel: $1); return (p.x, p.y) })
        case .newell:
            let newell = NewellHeatmapCodec()
            (codec, cell) = (newell, { let p = newell.peak($0, channel: $1); return (p.x, p.y) })
        }
        try check("\(decode.rawValue).json", exactCells: true, cell: { hm, k, _ in cell(hm, k) }, codec: { _ in codec })
    }

    @Test func megviiMatchesMMPose() throws {
        // MMPose returns input pixels; the fixture's cells are those ÷ its float32 scale factor, so they carry
        // that division's rounding.
        try check("megvii.json", exactCells: false, cell: { hm, k, c in
            let blurred = GaussianBlur(kernelSize: c.params.kernel ?? 0).modulated(hm)
            let p = MegviiHeatmapCodec.peak(blurred, channel: k)
            return (p.x, p.y)
        }, codec: { MegviiHeatmapCodec(kernelSize: $0.params.kernel ?? 0) })
    }

    @Test func darkMatchesMMPose() throws {
        try check("dark.json", exactCells: false, cell: { hm, k, c in
            let codec = DARKHeatmapCodec(kernelSize: c.params.kernel ?? 0)
            let p = codec.peak(hm, logMaps: codec.logMaps(hm), channel: k)
            return (p.x, p.y)
        }, codec: { DARKHeatmapCodec(kernelSize: $0.params.kernel ?? 0) })
    }

    @Test func udpMatchesMMPose() throws {
        // UDP's cells are its input pixels times (W − 1) / input width.
        try check("udp.json", exactCells: false, cell: { hm, k, c in
            let p = UDPHeatmapCodec(kernelSize: c.params.kernel ?? 0)
                .decode(hm, inputWidth: c.inputWidth, inputHeight: c.inputHeight)[k]
            return (p.x / Double(c.inputWidth) * Double(hm.width - 1), p.y / Double(c.inputHeight) * Double(hm.height - 1))
        }, codec: { UDPHeatmapCodec(kernelSize: $0.params.kernel ?? 0) })
    }

    struct BlurFile: Decodable {
        struct Kernel: Decodable {
            let size: Int
            let weights: [Double]
        }
        struct Blurred: Decodable {
            let heatmap: String
            let kernel: Int
            let float32leBase64: String
        }
        let kernels: [Kernel]
        let blurred: [Blurred]
    }

    @Test func gaussianKernelsAreOpenCVs() throws {
        let file: BlurFile = try CodecFixtures.load("gaussian_blur.json")
        #expect(file.kernels.count == 15)
        for kernel in file.kernels {
            #expect(GaussianBlur.openCVKernel(size: kernel.size).map(Double.init) == kernel.weights, "k=\(kernel.size)")
        }
    }

    @Test func gaussianBlurIsMMPosesBitForBit() throws {
        let file: BlurFile = try CodecFixtures.load("gaussian_blur.json")
        #expect(!file.blurred.isEmpty)
        for entry in file.blurred {
            let hm = try #require(maps[entry.heatmap])
            let got = GaussianBlur(kernelSize: entry.kernel).modulated(hm).values
            let want = CodecFixtures.floats(base64: entry.float32leBase64)
            let differing = zip(got, want).filter { $0 != $1 }.count
            #expect(got.count == want.count && differing == 0, "\(entry.heatmap) k=\(entry.kernel): \(differing) values differ")
        }
    }

    struct FlipFile: Decodable {
        struct HeatmapFlip: Decodable {
            let heatmap: String
            let flipIndices: [Int]
            let shift: Bool
            let flippedBase64: String
            let averagedBase64: String
        }
        struct Regression: Decodable {
            struct Flip: Decodable {
                let flippedValues: [Double]
                let flipIndices: [Int]
                let shift: Bool
                let flippedBack: [Double]
                let keypoints: [[Double]]
            }
            let dims: Int
            let keypointCount: Int
            let inputWidth: Int
            let inputHeight: Int
            let values: [Double]
            let keypoints: [[Double]]
            let flip: [Flip]
        }
        let heatmapFlips: [HeatmapFlip]
        let regression: [Regression]
    }

    @Test func heatmapFlipBackAndAverageAreMMPoses() throws {
        let file: FlipFile = try CodecFixtures.load("flip_and_regression.json")
        #expect(file.heatmapFlips.count == 4)
        for flip in file.heatmapFlips {
            let hm = try #require(maps[flip.heatmap])
            let back = hm.flippedBack(flipIndices: flip.flipIndices, shift: flip.shift)
            // The fixture is channels-first; compare through the subscript whatever the source layout.
            let nchw = Heatmaps(planes: (0..<back.channels).map { back.plane($0) }, height: hm.height, width: hm.width)
            #expect(nchw.values == CodecFixtures.floats(base64: flip.flippedBase64), "\(flip.heatmap) shift=\(flip.shift)")
            let mean = hm.averaged(with: back)
            let meanNCHW = (0..<mean.channels).flatMap { mean.plane($0) }
            #expect(meanNCHW == CodecFixtures.floats(base64: flip.averagedBase64))
        }
    }

    @Test func regressionMatchesMMPose() throws {
        let file: FlipFile = try CodecFixtures.load("flip_and_regression.json")
        #expect(file.regression.count == 3)
        var deviation = Deviation()
        for entry in file.regression {
            let codec = CoordinateRegressionCodec(layout: entry.dims == 4 ? .rle : .xy, units: .normalized)
            let values = entry.values.map { Float($0) }
            let got = codec.decode(values, keypointCount: entry.keypointCount, inputWidth: entry.inputWidth,
                                   inputHeight: entry.inputHeight)
            for (g, w) in zip(got, entry.keypoints) {
                #expect(deviation.add(g.x, w[0]) && deviation.add(g.y, w[1]) && deviation.add(g.score, w[2]))
            }
            for flip in entry.flip {
                let mirrored = flip.flippedValues.map { Float($0) }
                let back = codec.flippedBack(mirrored, flipIndices: flip.flipIndices, shift: flip.shift,
                                             inputWidth: entry.inputWidth)
                #expect(back.map(Double.init) == flip.flippedBack, "flip_coordinates shift=\(flip.shift)")
                let averaged = codec.decodeFlipTest(plain: values, mirrored: mirrored, flipIndices: flip.flipIndices,
                                                    shift: flip.shift, inputWidth: entry.inputWidth,
                                                    inputHeight: entry.inputHeight)
                for (g, w) in zip(averaged, flip.keypoints) {
                    #expect(deviation.add(g.x, w[0]) && deviation.add(g.y, w[1]) && deviation.add(g.score, w[2]))
                }
            }
        }
        #expect(deviation.largest <= Self.pixelTolerance, "regression differs by \(deviation.largest)")
    }
}
