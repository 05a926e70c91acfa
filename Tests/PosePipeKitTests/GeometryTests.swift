import Foundation
import Testing
@testable import PosePipeKit

@Suite struct GeometryTests {
    @Test func unrotatedCropMapsCornersAndCentres() {
        let region = RotatedRect(center: Point2(x: 100, y: 50), width: 40, height: 20)
        let t = region.cropToFrame(cropWidth: 4, cropHeight: 2)
        #expect(t.apply(Point2(x: 0, y: 0)) == Point2(x: 80, y: 40))
        #expect(t.apply(Point2(x: 4, y: 2)) == Point2(x: 120, y: 60))
        // The centre of crop pixel (0, 0) is the centre of its 10×10 block in the frame.
        #expect(t.apply(Point2(x: 0.5, y: 0.5)) == Point2(x: 85, y: 45))
    }

    @Test func quarterTurnPutsCropUpOnFrameRight() {
        // Rotation is clockwise on screen: after +90°, the crop's "up" points to the frame's right.
        let region = RotatedRect(center: Point2(x: 0, y: 0), width: 2, height: 2, rotation: .pi / 2)
        let top = region.cropToFrame(cropWidth: 2, cropHeight: 2).apply(Point2(x: 1, y: 0))
        #expect(abs(top.x - 1) < 1e-12 && abs(top.y) < 1e-12)
    }

    @Test func affineRoundTrip() throws {
        let region = RotatedRect(center: Point2(x: 321.5, y: 87.25), width: 173, height: 173, rotation: 0.7)
        let t = region.cropToFrame(cropWidth: 256, cropHeight: 256)
        let back = try #require(t.inverted)
        for p in [Point2(x: 0, y: 0), Point2(x: 255.5, y: 3.25), Point2(x: 128, y: 200)] {
            let q = back.apply(t.apply(p))
            #expect(abs(q.x - p.x) < 1e-9 && abs(q.y - p.y) < 1e-9)
        }
        #expect(AffineTransform(a: 1, b: 2, c: 2, d: 4, tx: 0, ty: 0).inverted == nil)
    }

    @Test func compositionAppliesRightThenLeft() {
        let scale = AffineTransform(a: 2, b: 0, c: 0, d: 2, tx: 0, ty: 0)
        let shift = AffineTransform(a: 1, b: 0, c: 0, d: 1, tx: 5, ty: -1)
        #expect(shift.after(scale).apply(Point2(x: 1, y: 1)) == Point2(x: 7, y: 1))
        #expect(scale.after(shift).apply(Point2(x: 1, y: 1)) == Point2(x: 12, y: 0))
    }

    @Test func containsAndCorners() {
        let region = RotatedRect(center: Point2(x: 10, y: 10), width: 4, height: 4, rotation: .pi / 4)
        #expect(region.contains(Point2(x: 10, y: 12.5)))  // inside the diamond, outside the unrotated square
        #expect(!region.contains(Point2(x: 12, y: 12)))
        #expect(region.corners.count == 4)
    }

    @Test func boxIoU() {
        let a = Box(x: 0, y: 0, width: 2, height: 2), b = Box(x: 1, y: 0, width: 2, height: 2)
        #expect(a.iou(b) == 2.0 / 6.0)
        #expect(a.iou(Box(x: 5, y: 5, width: 1, height: 1)) == 0)
        #expect(Box(enclosing: [Point2(x: 3, y: 1), Point2(x: -1, y: 4)]) == Box(x: -1, y: 1, width: 4, height: 3))
    }

    @Test func radiansFoldIntoHalfOpenRange() {
        #expect(abs(normalizedRadians(3 * .pi / 2) - (-.pi / 2)) < 1e-12)
        #expect(normalizedRadians(.pi) == -.pi)
        #expect(normalizedRadians(0.5) == 0.5)
    }
}
