/// A person detector of plain boxes (EfficientDet-Lite0): reads every anchor's decoded box and
/// class scores, keeps the person class above the threshold and suppresses overlaps greedily,
/// as automl's post-processing does for one class.
///
/// The whole frame is fitted into the square input the way the model was trained — automl puts
/// it at the top-left corner and pads the rest — and each tile fills the input.
public final class BoxDetector: PersonDetecting {
    private let model: ImageModel
    private let description: BoxDetectorDescription
    private let suppression: NonMaxSuppression
    private let classes: Int

    public init(_ description: BoxDetectorDescription, threads: Int = 1) throws {
        self.description = description
        model = try ImageModel(path: description.model.path, input: description.input,
                               outputs: [description.boxesOutput, description.scoresOutput], threads: threads)
        let boxes = model.outputs[0].shape, scores = model.outputs[1].shape
        guard boxes.count == 3, boxes[2] == 4, scores.count == 3, scores[1] == boxes[1] else {
            throw PosePipeError.invalidPipeline(
                "boxes_output: outputs '\(model.outputs[0].name)' \(boxes) and '\(model.outputs[1].name)' \(scores) are not [1, N, 4] boxes and [1, N, classes] scores")
        }
        guard description.personClass < scores[2] else {
            throw PosePipeError.invalidPipeline("person_class: \(description.personClass), but the model scores \(scores[2]) classes")
        }
        classes = scores[2]
        suppression = NonMaxSuppression(iouThreshold: description.nmsIouThreshold, mode: .greedy)
    }

    public func detect(in frame: VideoFrame, search: DetectionSearch) throws -> [Detection] {
        let width = frame.displayWidth, height = frame.displayHeight
        let whole: RotatedRect
        switch description.fit {
        case .centre:
            whole = letterbox(width: width, height: height)
        case .topLeft:
            let side = Double(max(width, height))
            whole = RotatedRect(center: Point2(x: side / 2, y: side / 2), width: side, height: side)
        }
        var found: [Detection] = []
        for region in (search.wholeFrame ? [whole] : []) + search.tiles {
            let results = try model.run(frame, crop: region)
            let toFrame = model.normalizer.tensorToFrame(region)
            let boxes = results[0], scores = results[1]
            for anchor in 0..<(boxes.count / 4) {
                let raw = Double(scores[anchor * classes + description.personClass])
                let score = description.logits ? sigmoid(raw) : raw
                guard score >= description.scoreThreshold else { continue }
                let v = boxes[(anchor * 4)..<(anchor * 4 + 4)].map(Double.init)
                let (x0, y0, x1, y1) = description.boxOrder == .yxyx ? (v[1], v[0], v[3], v[2]) : (v[0], v[1], v[2], v[3])
                guard x1 > x0, y1 > y0 else { continue }
                let corners = [Point2(x: x0, y: y0), Point2(x: x1, y: y1)].map(toFrame.apply)
                found.append(Detection(box: clipped(Box(enclosing: corners), width: width, height: height), score: score))
            }
        }
        return suppression.apply(found)
    }

    /// Boxes may reach into the padding or past a tile; a person's box ends at the frame.
    private func clipped(_ box: Box, width: Int, height: Int) -> Box {
        let x0 = max(0, box.x), y0 = max(0, box.y)
        let x1 = min(Double(width), box.x + box.width), y1 = min(Double(height), box.y + box.height)
        return Box(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }
}
