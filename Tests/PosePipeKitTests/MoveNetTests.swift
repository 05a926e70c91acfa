import Foundation
import Testing
@testable import PosePipeKit

/// The shipped `movenet` description with `edit` applied, read from a scratch folder (model path absolute).
private func describeMoveNet(_ edit: (inout [String: Any]) -> Void) throws -> PipelineDescription {
    let shipped = Fixtures.root.appendingPathComponent("Pipelines")
    var json = try JSONSerialization.jsonObject(with: Data(contentsOf: shipped.appendingPathComponent("movenet/pipeline.json"))) as! [String: Any]
    set(&json, "detector.model", shipped.appendingPathComponent("movenet/movenet.onnx").path)
    edit(&json)
    return try loadWritten(json)
}

/// One whole run of the movenet pipeline over `path`.
private func runMoveNet(_ path: String, threads: Int = 2, maxFrames: Int? = nil, smoothing: Smoothing = Smoothing()) throws -> [FrameResult] {
    let options = PipelineOptions(threads: threads, smoothing: smoothing, maxFrames: maxFrames)
    let pipeline = try PosePipeline(description: try PipelineDescription.load("movenet"), options: options)
    var results: [FrameResult] = []
    _ = try pipeline.run(try VideoDecoder(source: path)) { results.append($0) }
    return results
}

/// Shared by the sports2d checks below: the whole clip, raw keypoints.
private let sports2dMoveNet: Result<[FrameResult], PosePipeError> = Result {
    try runMoveNet(Fixtures.sports2d, smoothing: .off)
}.mapError { $0 as? PosePipeError ?? .inferenceFailed("\($0)") }

@Suite struct MoveNetDescriptionTests {
    @Test func theShippedDescriptionReadsAsOneMultiPersonPart() throws {
        let d = try PipelineDescription.load("movenet")
        let part = try #require(d.detector.multiPose)
        #expect(d.pose == nil)
        #expect(d.keypoints.name == "coco-17")
        #expect(part.model?.file == "movenet.onnx" && part.kind == .movenet)
        #expect(part.longSide == 256 && part.multiple == 32)
        #expect(part.scoreThreshold == 0.2)
        #expect(d.clearScore == 0.3)
        #expect(!StageFactory(d).followsPeople)
    }

    @Test(arguments: ["detector.colour", "detector.input.colour"])
    func anUnknownFieldIsRefused(path: String) throws {
        let message = invalidPipelineMessage { try describeMoveNet { set(&$0, path, 1) } }
        #expect(message?.contains(path) == true, "\(message ?? "")")
    }

    @Test func aPosePartBesideItIsRefused() throws {
        let message = invalidPipelineMessage {
            try describeMoveNet { $0["pose"] = ["model": "x.onnx"] }
        }
        #expect(message?.contains("pose: a multi-person detector (inline) finds the keypoints itself") == true, "\(message ?? "")")
    }

    @Test func aLongSideOffTheStrideIsRefused() throws {
        let message = invalidPipelineMessage { try describeMoveNet { set(&$0, "detector.input.long_side", 250) } }
        #expect(message?.contains("detector.input.long_side: must be a multiple of input.multiple (32)") == true, "\(message ?? "")")
    }

    /// Checked against the ONNX file's tensors before any frame is read, like every other part.
    @Test func aKeypointSetTheOutputDoesNotHoldIsRefused() throws {
        let d = try describeMoveNet { $0["keypoints"] = "blazepose-33" }
        let message = invalidPipelineMessage { try StageFactory(d).makeMultiPose() }
        #expect(message?.contains("detector.output: movenet.onnx's output 'StatefulPartitionedCall:0' is [1, 6, 56]; movenet needs float [1, people, 104] for 33 keypoints") == true,
                "\(message ?? "")")
    }

    @Test func anInputNameTheModelLacksIsRefused() throws {
        let d = try describeMoveNet { set(&$0, "detector.input.name", "image") }
        let message = invalidPipelineMessage { try StageFactory(d).makeMultiPose() }
        #expect(message?.contains("detector.input.name: movenet.onnx has no input 'image' (it has serving_default_input:0)") == true, "\(message ?? "")")
    }

    @Test func aBlazePoseModelIsNoMoveNet() throws {
        let d = try describeMoveNet {
            set(&$0, "detector.model", Fixtures.root.appendingPathComponent("Pipelines/blazepose/pose_landmark_full.onnx").path)
            set(&$0, "detector.input.name", nil)
        }
        let message = invalidPipelineMessage { try StageFactory(d).makeMultiPose() }
        #expect(message?.contains("detector.input: pose_landmark_full.onnx's input 'input_1' is ONNX type 1 [-1, 256, 256, 3]; movenet needs uint8") == true,
                "\(message ?? "")")
    }
}

@Suite struct MoveNetDecodingTests {
    let part = try! PipelineDescription.load("movenet").detector.multiPose!

    @Test func theInputKeepsTheAspectWithTheLongSide256AndTheOtherRoundedUpTo32() {
        #expect(part.inputSize(width: 1768, height: 994) == (256, 160))   // 143.9 → 160
        #expect(part.inputSize(width: 768, height: 576) == (256, 192))    // exactly 192
        #expect(part.inputSize(width: 1088, height: 1920) == (160, 256))  // portrait: 145.1 → 160
        #expect(part.inputSize(width: 640, height: 640) == (256, 256))
        #expect(part.inputSize(width: 4000, height: 10) == (256, 32))     // never below one stride
    }

    /// The input shows the frame centred at 256 / 1768 of its size: 256 × 160 input pixels are
    /// 1768 × 1105 frame pixels, so 55.5 rows of padding lie above the frame and below it.
    @Test func theRegionIsTheFrameCentredWithItsPadding() {
        let region = part.region(width: 1768, height: 994)
        #expect(region == RotatedRect(center: Point2(x: 884, y: 497), width: 1768, height: 1105))
        let toFrame = region.cropToFrame(cropWidth: 1, cropHeight: 1)
        #expect(toFrame.apply(Point2(x: 0, y: 0)) == Point2(x: 0, y: -55.5))
        #expect(toFrame.apply(Point2(x: 1, y: 1)) == Point2(x: 1768, y: 1049.5))
    }

    /// Rows MoveNet gave for frame 40 of sports2d (the woman walking, the man on the box, and an
    /// empty row), the man's row placed last so the order comes from the scores.
    static let woman: [Float] = [
        0.5911322832107544, 0.8764779567718506, 0.4532664716243744, 0.5822425484657288, 0.8830651044845581, 0.5668852925300598,
        0.5822180509567261, 0.8725449442863464, 0.41435161232948303, 0.586159348487854, 0.8918032050132751, 0.4610185921192169,
        0.5839982032775879, 0.8702856302261353, 0.47851669788360596, 0.6244838237762451, 0.8950985670089722, 0.4730571210384369,
        0.6227149367332458, 0.8652480244636536, 0.4673144519329071, 0.6844275593757629, 0.890868067741394, 0.33111143112182617,
        0.6822586059570312, 0.8617896437644958, 0.5245577692985535, 0.712289035320282, 0.8762756586074829, 0.28963103890419006,
        0.7111391425132751, 0.8513677716255188, 0.472332239151001, 0.7392629981040955, 0.8890336155891418, 0.47422194480895996,
        0.7366036176681519, 0.864963948726654, 0.6230219602584839, 0.8079482913017273, 0.8784441351890564, 0.3883635103702545,
        0.8004530072212219, 0.8554602861404419, 0.45413753390312195, 0.8899067044258118, 0.8691697120666504, 0.3272674083709717,
        0.8834401965141296, 0.8532844185829163, 0.4131394922733307, 0.5437891483306885, 0.8300521969795227, 0.9289177060127258,
        0.8983344435691833, 0.2562577724456787,
    ]
    static let man: [Float] = [
        0.1617317944765091, 0.358724981546402, 0.40478450059890747, 0.15377692878246307, 0.3609100878238678, 0.43719735741615295,
        0.15412700176239014, 0.3550986051559448, 0.5577232241630554, 0.16005896031856537, 0.3654819130897522, 0.5911213159561157,
        0.1614210158586502, 0.3481694459915161, 0.6189053058624268, 0.20328263938426971, 0.3805277645587921, 0.5367417335510254,
        0.20221450924873352, 0.336801141500473, 0.5194185376167297, 0.25216442346572876, 0.390256404876709, 0.4400896728038788,
        0.2564100921154022, 0.33533427119255066, 0.5663014054298401, 0.28710299730300903, 0.38506588339805603, 0.39473116397857666,
        0.2896087169647217, 0.3346284329891205, 0.372517466545105, 0.2957168519496918, 0.3730292320251465, 0.5170343518257141,
        0.29879531264305115, 0.3450043499469757, 0.5790057182312012, 0.3725421130657196, 0.3780466318130493, 0.40840354561805725,
        0.36951327323913574, 0.348653107881546, 0.41549190878868103, 0.4129517674446106, 0.3757363557815552, 0.3049710988998413,
        0.4134639799594879, 0.35346272587776184, 0.40433353185653687, 0.13081583380699158, 0.32098156213760376, 0.4488716721534729,
        0.40466105937957764, 0.2737303674221039,
    ]
    static let empty: [Float] = Array(repeating: 0.01, count: 55) + [0]

    @Test func aRecordedOutputMapsToFramePixelsBestFirst() throws {
        let decoder = MoveNetDecoder(keypointCount: 17, scoreThreshold: 0.2)
        let toFrame = part.region(width: 1768, height: 994).cropToFrame(cropWidth: 1, cropHeight: 1)
        let people = decoder.decode(Self.woman + Self.empty + Self.man, toFrame: toFrame)
        try #require(people.count == 2, "the empty row (score 0) is no person")
        let (man, woman) = (people[0], people[1])
        #expect(abs(man.score - 0.2737303674221039) < 1e-12 && abs(woman.score - 0.2562577724456787) < 1e-12)
        // Nose: x = 0.358724981546402 · 1768, y = 0.1617317944765091 · 1105 − 55.5.
        #expect(abs(man.keypoints[0].x - 634.2257673740387) < 1e-9 && abs(man.keypoints[0].y - 123.21363289654255) < 1e-9)
        #expect(abs(man.keypoints[0].score - 0.40478450059890747) < 1e-12)
        #expect(abs(woman.keypoints[0].x - 1549.6130275726318) < 1e-9 && abs(woman.keypoints[0].y - 597.7011729478836) < 1e-9)
        // The box (ymin, xmin, ymax, xmax) = (0.1308, 0.3210, 0.4489, 0.4047) of the input.
        let box = man.crop
        #expect(abs(box.center.x - box.width / 2 - 567.4954018592834) < 1e-9 && abs(box.center.y - box.height / 2 - 89.05149635672569) < 1e-9)
        #expect(abs(box.width - 147.94535112380981) < 1e-9 && abs(box.height - 351.45170137286186) < 1e-9)
        #expect(man.keypoints.count == 17 && !man.followed)
        // Facing the camera, the man's left shoulder (5) is on the picture's right of his right one (6).
        #expect(man.keypoints[5].x > man.keypoints[6].x)
    }

    @Test func aScoreBelowTheThresholdIsNobody() {
        let decoder = MoveNetDecoder(keypointCount: 17, scoreThreshold: 0.26)
        let people = decoder.decode(Self.woman + Self.man, toFrame: AffineTransform(a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0))
        #expect(people.count == 1 && abs(people[0].score - 0.2737303674221039) < 1e-12)
    }

    /// 994 rows at 160 / 1105 of their size fill input rows 8…151; rows 0…7 and 152…159 are
    /// the black padding (row 7's centre lies 3.7 frame rows above the frame, row 152's 3.7 below it).
    @Test func theInputIsTheLetterboxedFrameAsBytes() throws {
        let estimator = try StageFactory(try PipelineDescription.load("movenet")).makeMultiPose() as! MoveNetEstimator
        let frame = try #require(try VideoDecoder(source: Fixtures.sports2d).next())
        let bytes = estimator.tensor(for: frame)
        #expect(bytes.count == 256 * 160 * 3)
        let row = 256 * 3
        let blank = (0..<160).filter { r in bytes[(r * row)..<((r + 1) * row)].allSatisfy { $0 == 0 } }
        #expect(blank == Array(0...7) + Array(152...159))
    }
}

/// MoveNet on real footage, through the whole pipeline.
@Suite struct MoveNetPipelineTests {
    @Test func someoneIsFoundOnNearlyEveryFrameOfSports2d() throws {
        let results = try sports2dMoveNet.get()
        #expect(results.map(\.frame.index) == Array(0..<230))
        let withSomeone = results.filter { !$0.people.isEmpty }.count
        #expect(Double(withSomeone) >= 0.95 * Double(results.count), "\(withSomeone) of 230")
        #expect(results.contains { $0.people.count == 2 }, "both people in one frame somewhere")
        #expect(results.allSatisfy { $0.people.count <= 6 })
    }

    @Test func clearKeypointsLieInsideTheBoxTheModelGaveTheirPerson() throws {
        var inside = 0, clear = 0
        for result in try sports2dMoveNet.get() {
            for person in result.people {
                let box = try #require(person.crop)
                let grown = RotatedRect(center: box.center, width: 1.1 * box.width, height: 1.1 * box.height)
                for k in person.keypoints where k.score >= person.clearScore {
                    clear += 1
                    if grown.contains(k.point) { inside += 1 }
                }
            }
        }
        #expect(clear >= 200 * 8)
        #expect(Double(inside) >= 0.98 * Double(clear), "\(inside) of \(clear)")
    }

    /// The man on the box faces the camera: his left shoulder and hip are on the picture's right.
    @Test func theManFacingTheCameraHasHisLeftOnThePicturesRight() throws {
        var right = 0, seen = 0
        for result in try sports2dMoveNet.get() {
            for person in result.people where person.box.y < 250 {
                let k = person.keypoints
                guard [5, 6, 11, 12].allSatisfy({ k[$0].score >= person.clearScore }) else { continue }
                seen += 1
                if k[5].x > k[6].x && k[11].x > k[12].x { right += 1 }
            }
        }
        #expect(seen >= 40)
        #expect(Double(right) >= 0.9 * Double(seen), "\(right) of \(seen)")
    }

    @Test func theWalkingWomanKeepsOneId() throws {
        var ids: [Int: Int] = [:]
        for result in try sports2dMoveNet.get()[60..<165] {
            for person in result.people where person.box.y > 450 { ids[person.id, default: 0] += 1 }
        }
        let seen = ids.values.reduce(0, +)
        #expect(seen >= 90)
        #expect(Double(ids.values.max() ?? 0) >= 0.95 * Double(seen), "ids seen for her: \(ids)")
    }

    @Test func theOutputIsTheSameForOneAndTwoThreads() throws {
        let one = try runMoveNet(Fixtures.sports2d, threads: 1, maxFrames: 60)
        let two = try runMoveNet(Fixtures.sports2d, threads: 2, maxFrames: 60)
        #expect(one.count == 60 && two.count == 60)
        #expect(one.map { $0.people.map(\.id) } == two.map { $0.people.map(\.id) })
        #expect(one.map { $0.people.map(\.keypoints) } == two.map { $0.people.map(\.keypoints) })
    }

    @Test func pedestriansAreFoundSeveralAtOnce() throws {
        let results = try runMoveNet(Fixtures.pedestrians, smoothing: .off)
        let withSomeone = results.filter { !$0.people.isEmpty }.count
        #expect(Double(withSomeone) >= 0.75 * Double(results.count), "\(withSomeone) of \(results.count)")
        #expect((results.map(\.people.count).max() ?? 0) >= 3)
    }
}

@Suite struct MoveNetCommandLineTests {
    /// The model is detector and pose model at once: options that swap either are refused (64).
    @Test(arguments: [["--detector", "blazepose"], ["--flip-test"], ["--model", Fixtures.root.appendingPathComponent("Pipelines/hrnet/hrnet.onnx").path]])
    func optionsForATopDownPipelineAreRefused(extra: [String]) throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.jsonl").path
        let outcome = try CLI.run([Fixtures.sports2d, "--pipeline", "movenet", "-o", output, "--quiet"] + extra, feeding: Data())
        #expect(outcome.status == 64)
        #expect(outcome.stderr == "posepipe: \(extra[0]): pipeline movenet finds people and keypoints in one model run; it takes no per-person pose model, detector or flip test\n",
                "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
