import Testing
@testable import PosePipeKit

@Suite struct DisplayOrientationTests {
    @Test(arguments: [(90.0, DisplayOrientation.clockwise90), (-90, .clockwise270), (270, .clockwise270),
                      (180, .upsideDown), (-180, .upsideDown), (0, .upright), (89.6, .clockwise90), (360, .upright)])
    func fromDegrees(degrees: Double, expected: DisplayOrientation) {
        #expect(DisplayOrientation(clockwiseDegrees: degrees) == expected)
    }

    /// Between the quarter turns no orientation is right (45° used to read as 270°).
    @Test(arguments: [45.0, -45, 315, 135, 30, 88.5, .nan, .infinity])
    func turnsBetweenQuarterTurnsAreNone(degrees: Double) {
        #expect(DisplayOrientation(clockwiseDegrees: degrees) == nil)
    }

    @Test func clockwiseQuarterTurnMapsDisplayCornersToStoredOnes() {
        // A 4×2 stored frame shows as 2×4; the displayed top-left corner was the stored bottom-left.
        let o = DisplayOrientation.clockwise90
        #expect(o.displaySize(width: 4, height: 2) == (2, 4))
        let map = o.displayToStored(width: 4, height: 2)
        #expect(map.apply(Point2(x: 0, y: 0)) == Point2(x: 0, y: 2))
        #expect(map.apply(Point2(x: 2, y: 0)) == Point2(x: 0, y: 0))
        #expect(map.apply(Point2(x: 2, y: 4)) == Point2(x: 4, y: 0))
    }

    @Test func everyOrientationMapsDisplayOntoStoredFrame() {
        for o in DisplayOrientation.allCases {
            let (w, h) = o.displaySize(width: 6, height: 3)
            let map = o.displayToStored(width: 6, height: 3)
            let corners = [Point2(x: 0, y: 0), Point2(x: Double(w), y: 0), Point2(x: 0, y: Double(h)), Point2(x: Double(w), y: Double(h))]
            let mapped = Set(corners.map(map.apply))
            #expect(mapped == Set([Point2(x: 0, y: 0), Point2(x: 6, y: 0), Point2(x: 0, y: 3), Point2(x: 6, y: 3)]), "\(o)")
        }
    }

    @Test func uprightPixelsFollowTheRotation() {
        // Stored 2×1: red, green. Turned clockwise it shows 1×2 with red on top.
        let frame = VideoFrame(index: 0, pts: 0, width: 2, height: 1, rgb: [255, 0, 0, 0, 255, 0], orientation: .clockwise90)
        #expect(frame.uprightRGB() == [255, 0, 0, 0, 255, 0])
        let ccw = VideoFrame(index: 0, pts: 0, width: 2, height: 1, rgb: [255, 0, 0, 0, 255, 0], orientation: .clockwise270)
        #expect(ccw.uprightRGB() == [0, 255, 0, 255, 0, 0])
    }
}
