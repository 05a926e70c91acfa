import Foundation
import Testing
@testable import PosePipeKit

/// Sports2D's angles on poses whose angles are known by construction (side view, y down).
@Suite struct JointAnglesTests {
    let names: [String]
    let angles: JointAngles

    init() throws {
        names = try PipelineLoader().keypointSet(named: "blazepose-33").keypoints
        angles = JointAngles(keypointNames: names)
    }

    /// A BlazePose pose from named points (both sides at the same place unless given), every
    /// other keypoint unclear.
    func pose(_ points: [String: (Double, Double)], unclear: Set<String> = []) -> [Keypoint] {
        names.map { name in
            let side = name.replacingOccurrences(of: "left_", with: "").replacingOccurrences(of: "right_", with: "")
            guard let p = points[name] ?? points[side] else { return Keypoint(x: 0, y: 0, score: 0.1) }
            return Keypoint(x: p.0, y: p.1, score: unclear.contains(name) ? 0.2 : 0.9)
        }
    }

    func value(_ name: String, _ keypoints: [Keypoint]) -> Double? {
        let i = angles.names.firstIndex(of: name)!
        return angles.angles(of: keypoints)[i]
    }

    func expect(_ keypoints: [Keypoint], _ expected: [String: Double], sourceLocation: SourceLocation = #_sourceLocation) {
        for (name, degrees) in expected {
            let got = value(name, keypoints)
            #expect(got.map { abs($0 - degrees) < 1e-6 } == true, "\(name): \(String(describing: got)), expected \(degrees)",
                    sourceLocation: sourceLocation)
        }
    }

    /// Standing straight, facing right (toes ahead of heels), arms hanging.
    var standing: [String: (Double, Double)] {
        ["shoulder": (100, 100), "elbow": (100, 160), "wrist": (100, 220), "hip": (100, 200), "knee": (100, 300),
         "ankle": (100, 400), "heel": (95, 410), "foot_index": (120, 410)]
    }

    @Test func standingStraightIsZeroAtEveryJoint() {
        expect(pose(standing), ["right_knee": 0, "left_knee": 0, "right_hip": 0, "left_hip": 0, "right_ankle": 0, "left_ankle": 0,
                                "right_shoulder": 0, "right_elbow": 0, "left_elbow": 0])
        // Segments against the horizontal, counter-clockwise on screen: limbs hang at −90°, the trunk stands at 90°.
        expect(pose(standing), ["right_shank": -90, "left_thigh": -90, "trunk": 90, "right_arm": -90, "left_arm": -90])
    }

    /// Sitting facing right: thighs forward, shanks down, forearms forward, upper arms down.
    var sitting: [String: (Double, Double)] {
        ["shoulder": (100, 100), "elbow": (100, 160), "wrist": (160, 160), "hip": (100, 200), "knee": (200, 200),
         "ankle": (200, 300), "heel": (195, 310), "foot_index": (220, 310)]
    }

    @Test func sittingFlexesKneesHipsAndElbowsByNinety() {
        expect(pose(sitting), ["right_knee": 90, "left_knee": 90, "right_hip": 90, "left_hip": 90, "right_elbow": 90,
                               "right_shoulder": 0, "right_ankle": 0, "right_thigh": 0, "right_shank": -90, "trunk": 90])
    }

    @Test func aPersonFacingLeftIsMirroredSoFlexionStaysPositive() {
        let mirrored = sitting.mapValues { (400 - $0.0, $0.1) }
        #expect(angles.facesLeft(pose(mirrored)))
        #expect(!angles.facesLeft(pose(sitting)))
        expect(pose(mirrored), ["right_knee": 90, "right_hip": 90, "right_elbow": 90, "right_thigh": 0, "right_shank": -90])
    }

    @Test func fortyFiveDegreeThighAndRaisedArm() {
        var points = standing
        let d = 100 / 2.0.squareRoot()
        points["knee"] = (100 + d, 200 + d)  // thigh 45° down and forward
        points["ankle"] = (100 + d, 300 + d)  // shank straight down: knee bent 45°
        points["elbow"] = (160, 100)  // arm raised straight forward
        points["wrist"] = (220, 100)
        expect(pose(points), ["right_hip": 45, "right_thigh": -45, "right_knee": 45, "right_shoulder": 90, "right_arm": 0,
                              "right_elbow": 0])
        // Trunk leaning forward by 30°: the hip angle grows by as much as the trunk leans toward the thigh.
        let lean = 100.0
        var leaning = points
        leaning["shoulder"] = (100 + lean * sin(.pi / 6), 200 - lean * cos(.pi / 6))
        leaning["elbow"] = (leaning["shoulder"]!.0 + 60, leaning["shoulder"]!.1)
        expect(pose(leaning), ["right_hip": 75, "trunk": 60])
    }

    @Test func anUnclearJointGivesNoAngle() {
        let keypoints = pose(sitting, unclear: ["right_knee", "left_shoulder"])
        #expect(value("right_knee", keypoints) == nil)
        #expect(value("right_thigh", keypoints) == nil)
        #expect(value("left_hip", keypoints) == nil, "the neck, between the shoulders, is not clear")
        #expect(value("left_knee", keypoints) != nil)
    }

    @Test func cocoSeventeenHasEveryAngleButTheAnkles() throws {
        let coco = try PipelineLoader().keypointSet(named: "coco-17").keypoints
        let calculator = JointAngles(keypointNames: coco)
        #expect(calculator.names == ["right_knee", "left_knee", "right_hip", "left_hip", "right_shoulder", "left_shoulder",
                                     "right_elbow", "left_elbow", "right_shank", "left_shank", "right_thigh", "left_thigh",
                                     "trunk", "right_arm", "left_arm"])
        let keypoints = coco.map { name -> Keypoint in
            let side = name.replacingOccurrences(of: "left_", with: "").replacingOccurrences(of: "right_", with: "")
            let p = sitting[side] ?? (0, 0)
            return Keypoint(x: p.0, y: p.1, score: 0.9)
        }
        #expect(calculator.angles(of: keypoints)[0].map { abs($0 - 90) < 1e-9 } == true)
    }

    @Test func wrapsLikePythonsModuloIntoMinus180To180() {
        let definition = AngleDefinition(name: "t", kind: .segment, points: ["a", "b"], offset: 0, scale: -1)
        // Pointing straight left: atan2 gives 180°, times −1 is −180°, which stays −180°.
        #expect(definition.degrees([Point2(x: 0, y: 0), Point2(x: 1, y: 0)]) == -180)
        #expect(abs(definition.degrees([Point2(x: 1, y: 1), Point2(x: 0, y: 0)]) + 45) < 1e-12)
    }
}
