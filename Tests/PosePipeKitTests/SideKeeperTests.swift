import Foundation
import Testing
@testable import PosePipeKit

/// A BlazePose-33 body in 3-D, turned by `yaw` about the vertical axis and seen straight on: x runs to
/// the person's left, y down, z toward the camera; yaw 0 faces the camera, so the left side is on the
/// picture's right. Arms and legs swing with `phase`.
struct Body {
    static let set = try! PipelineLoader().keypointSet(named: "blazepose-33")

    /// (lateral, height, depth) of a keypoint by name, in pixels, before the swing.
    static func place(_ name: String) -> (Double, Double, Double) {
        let side: Double = name.contains("left") ? 1 : name.contains("right") ? -1 : 0
        let part = ["left_", "right_", "_left", "_right"].reduce(name) { $0.replacingOccurrences(of: $1, with: "") }
        let table: [String: (Double, Double, Double)] = [
            "nose": (0, -160, 12), "eye_inner": (4, -166, 9), "eye": (8, -166, 8), "eye_outer": (12, -166, 7),
            "ear": (16, -160, -4), "mouth": (6, -150, 9), "shoulder": (40, -130, 0), "elbow": (48, -80, -4),
            "wrist": (52, -30, 4), "pinky": (54, -16, 6), "index": (50, -14, 8), "thumb": (46, -18, 10),
            "hip": (24, 0, 0), "knee": (26, 90, 4), "ankle": (26, 180, -2), "heel": (26, 188, -10), "foot_index": (28, 190, 18),
        ]
        let p = table[part]!
        return (side * p.0, p.1, p.2)
    }

    /// The keypoints at `yaw` radians, centred at (cx, 400), limbs swung by `phase`.
    static func keypoints(yaw: Double, cx: Double, phase: Double) -> [Keypoint] {
        set.keypoints.map { name in
            var (x, y, z) = place(name)
            let side: Double = name.hasPrefix("left") ? 1 : -1
            if ["elbow", "wrist", "pinky", "index", "thumb", "knee", "ankle", "heel", "foot_index"].contains(where: name.hasSuffix) {
                z += side * 30 * sin(phase)
            }
            // Turning by yaw: the left side (x > 0) swings away from the camera for yaw > 0.
            let seenX = x * cos(yaw) + z * sin(yaw)
            return Keypoint(x: cx + seenX, y: 400 + y, score: 0.9)
        }
    }

    static func mirrored(_ keypoints: [Keypoint]) -> [Keypoint] {
        keypoints.indices.map { keypoints[set.flip[$0]] }
    }
}

@Suite struct SideKeeperTests {
    let fps = 30.0

    /// The keeper's output over a sequence, one person (id 1) per frame.
    func kept(_ frames: [[Keypoint]], fps: Double = 30) -> [TrackedPerson] {
        var keeper = SideKeeper(flip: Body.set.flip)
        return frames.enumerated().map { i, keypoints in
            keeper.keep([TrackedPerson(id: 1, score: 1, keypoints: keypoints)], at: Double(i) / fps, activeIDs: [1])[0]
        }
    }

    /// A person facing the camera, walking right at 90 px/s.
    func walker(_ i: Int) -> [Keypoint] {
        Body.keypoints(yaw: 0.2, cx: 300 + 3 * Double(i), phase: Double(i) * 0.3)
    }

    @Test func aStretchOfSwappedLabelsIsSwappedBack() {
        let truth = (0..<60).map(walker)
        let model = truth.enumerated().map { (20..<35).contains($0.offset) ? Body.mirrored($0.element) : $0.element }
        let out = kept(model)
        #expect(out.map(\.keypoints) == truth)
        #expect(out.indices.filter { out[$0].sidesSwapped } == Array(20..<35))
    }

    @Test func swapsThatComeAndGoFrameByFrameAreEachSwappedBack() {
        let truth = (0..<40).map(walker)
        let swapped: Set = [10, 12, 14, 15, 16, 20, 30]
        let out = kept(truth.enumerated().map { swapped.contains($0.offset) ? Body.mirrored($0.element) : $0.element })
        #expect(out.map(\.keypoints) == truth)
    }

    @Test(arguments: [(180.0, 0.5), (360.0, 1.5), (-180.0, 1.0), (90.0, 0.3)])
    func aPersonTurningAroundIsLeftAlone(degrees: Double, seconds: Double) {
        // Left and right cross in the picture as the body turns; the labels stay the person's own.
        let frames = Int(seconds * fps) + 20
        let model = (0..<frames).map { i -> [Keypoint] in
            let turned = min(Double(i) / (seconds * fps), 1) * degrees * Double.pi / 180
            return Body.keypoints(yaw: turned, cx: 400 + Double(i), phase: Double(i) * 0.25)
        }
        let out = kept(model)
        #expect(out.allSatisfy { !$0.sidesSwapped })
        #expect(out.map(\.keypoints) == model)
    }

    @Test func aFrameMixedUpLimbByLimbIsNoEvidence() {
        // Frame 15 has the arms swapped but not the legs: neither reading fits, nothing changes.
        let truth = (0..<30).map(walker)
        var model = truth
        let arms = Body.set.keypoints.indices.filter { ["elbow", "wrist", "pinky", "index", "thumb"].contains(where: Body.set.keypoints[$0].hasSuffix) }
        for k in arms { model[15][k] = truth[15][Body.set.flip[k]] }
        let out = kept(model)
        #expect(out.map(\.keypoints) == model)
        #expect(out.allSatisfy { !$0.sidesSwapped })
    }

    @Test func aMixedUpFrameInsideASwappedStretchNeitherEndsNorFlipsTheRepair() {
        // Frames 20-34 swapped by the model, frame 26 only in the arms: that frame is written as it came,
        // the others of the stretch swapped back, and nothing after the stretch is touched.
        let truth = (0..<50).map(walker)
        var model = truth.enumerated().map { (20..<35).contains($0.offset) ? Body.mirrored($0.element) : $0.element }
        let arms = Body.set.keypoints.indices.filter { ["elbow", "wrist", "pinky", "index", "thumb"].contains(where: Body.set.keypoints[$0].hasSuffix) }
        model[26] = truth[26]
        for k in arms { model[26][k] = truth[26][Body.set.flip[k]] }
        let out = kept(model)
        #expect(out.indices.filter { out[$0].keypoints != truth[$0] } == [26])
        #expect(out[26].keypoints == model[26])
        #expect(out.indices.filter { out[$0].sidesSwapped } == Array(20..<26) + Array(27..<35))
    }

    @Test func hiddenAndOverlappingPairsSayNothing() {
        // Frames 10-12 have every pair but the hips hidden, and the hips on top of each other: too little
        // to go on, so even mirrored they are left as they come.
        let truth = (0..<30).map(walker)
        var model = truth
        for i in 10...12 {
            model[i] = Body.mirrored(truth[i]).enumerated().map { k, p in
                let name = Body.set.keypoints[k]
                if name.hasSuffix("hip") { return Keypoint(x: 300 + 3 * Double(i), y: 400, score: 0.9) }
                return name == "nose" ? p : Keypoint(x: p.x, y: p.y, score: 0.2)
            }
        }
        let out = kept(model)
        #expect(out.map(\.keypoints) == model)
    }

    @Test func aTrackBackFromAGapStartsWithTheModelsLabels() {
        // Unseen for 0.5 s, then seen mirrored: nothing links the two stretches, so the new one is kept.
        let before = (0..<20).map(walker), after = (35..<60).map { Body.mirrored(walker($0)) }
        var keeper = SideKeeper(flip: Body.set.flip)
        for (i, keypoints) in before.enumerated() {
            _ = keeper.keep([TrackedPerson(id: 1, score: 1, keypoints: keypoints)], at: Double(i) / fps, activeIDs: [1])
        }
        for (n, keypoints) in after.enumerated() {
            let out = keeper.keep([TrackedPerson(id: 1, score: 1, keypoints: keypoints)], at: Double(35 + n) / fps, activeIDs: [1])
            #expect(out[0].keypoints == keypoints && !out[0].sidesSwapped)
        }
    }

    @Test func peopleAreKeptApart() {
        // Person 2 is mirrored on frames 10-19; person 1 never is, whatever the order they come in.
        var keeper = SideKeeper(flip: Body.set.flip)
        for i in 0..<30 {
            let one = TrackedPerson(id: 1, score: 1, keypoints: walker(i))
            let twoTruth = Body.keypoints(yaw: -0.3, cx: 900 - 2 * Double(i), phase: Double(i) * 0.2)
            let two = TrackedPerson(id: 2, score: 1, keypoints: (10..<20).contains(i) ? Body.mirrored(twoTruth) : twoTruth)
            let out = keeper.keep(i % 2 == 0 ? [one, two] : [two, one], at: Double(i) / fps, activeIDs: [1, 2])
            #expect(out.map(\.id) == (i % 2 == 0 ? [1, 2] : [2, 1]))
            #expect(out.first { $0.id == 1 }!.keypoints == walker(i))
            #expect(out.first { $0.id == 2 }!.keypoints == twoTruth)
        }
    }
}

/// The keeper on the model's own output for real footage.
@Suite struct SideKeeperFootageTests {
    static let multiPerson = Fixtures.folder.appendingPathComponent("pose2sim_multiperson_cam02.mp4").path

    static func run(_ path: String, keepSides: Bool) throws -> [FrameResult] {
        let options = PipelineOptions(threads: 2, smoothing: .off, keepSides: keepSides)
        let pipeline = try PosePipeline(description: try PipelineDescription.load("blazepose"), options: options)
        var results: [FrameResult] = []
        _ = try pipeline.run(try VideoDecoder(source: path)) { results.append($0) }
        return results
    }

    /// Per frame, whether the man's shoulders are in his own order: he faces the camera throughout, so
    /// his left shoulder is on the picture's right. nil where he is not found or the shoulders overlap.
    static func shouldersInOrder(_ results: [FrameResult]) throws -> [Bool?] {
        let set = try PipelineDescription.load("blazepose").keypoints
        let left = try #require(set.index(of: "left_shoulder")), right = try #require(set.index(of: "right_shoulder"))
        return results.map { result in
            // He is the person standing up to the right of the woman's shoulder in the foreground.
            guard let man = result.people.filter({ $0.box.x > 80 && $0.box.y < 300 }).max(by: { $0.box.height < $1.box.height }) else { return nil }
            let k = man.keypoints
            guard k[left].score >= 0.5, k[right].score >= 0.5, abs(k[left].x - k[right].x) > 10 else { return nil }
            return k[left].x > k[right].x
        }
    }

    @Test func aManFacingTheCameraKeepsHisLeftOnTheLeft() throws {
        let raw = try Self.shouldersInOrder(try Self.run(Self.multiPerson, keepSides: false))
        let kept = try Self.shouldersInOrder(try Self.run(Self.multiPerson, keepSides: true))
        let rawRight = raw.compactMap { $0 }.filter { $0 }.count, rawSeen = raw.compactMap { $0 }.count
        let keptRight = kept.compactMap { $0 }.filter { $0 }.count, keptSeen = kept.compactMap { $0 }.count
        // The model alone has him the wrong way round on most frames of this stretch.
        #expect(rawSeen >= 60 && Double(rawRight) < 0.5 * Double(rawSeen), "raw: \(rawRight) of \(rawSeen) in order")
        #expect(keptSeen >= 60 && Double(keptRight) >= 0.9 * Double(keptSeen), "kept: \(keptRight) of \(keptSeen) in order")
    }

    @Test func theSports2dManTurningSidewaysIsLeftAlone() throws {
        // Frames 72-166: he turns from facing the camera to side-on, his shoulders closing in and
        // crossing in the picture; the model follows him and no frame needs a repair.
        let results = try sports2dKeptRun.get()
        let swapped = results[72...166].flatMap(\.people).filter(\.sidesSwapped)
        #expect(swapped.isEmpty, "swapped: \(swapped.map(\.id))")
        #expect(results.flatMap(\.people).filter(\.sidesSwapped).count <= 5)
    }
}

/// The sports2d clip unsmoothed with sides kept, shared by the checks above.
let sports2dKeptRun: Result<[FrameResult], PosePipeError> = Result {
    try SideKeeperFootageTests.run(Fixtures.sports2d, keepSides: true)
}.mapError { $0 as? PosePipeError ?? .inferenceFailed("\($0)") }
