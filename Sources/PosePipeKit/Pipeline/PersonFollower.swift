import Dispatch

/// The frame-ordered half of the pipeline: follows every person from frame to frame.
///
/// For each block of `frameBatch` consecutive frames it plans the crops (people followed from
/// before the block keep the crop their own landmarks suggested; detections add newcomers), runs
/// all crops of the block concurrently through the landmark stage, then, frame by frame, drops
/// phantoms and duplicates, gives ids and smooths. Everything here depends on earlier frames, so
/// it runs in frame order; blocks are fixed by frame index, so results never depend on timing.
struct PersonFollower {
    private let description: PipelineDescription
    private let landmarks: LandmarkStage
    private let fallbackDetector: PersonDetector
    private let tiling: DetectionTiling
    private let planner = PersonCropPlanner()
    private var tracker: PersonTracker
    private var smoother: TemporalSmoother
    private var followed: [RotatedRect] = []
    /// Seconds spent so far in each part, for `--verbose`.
    private(set) var busy = (detection: 0.0, landmarks: 0.0, tracking: 0.0)

    init(description: PipelineDescription, options: PipelineOptions, landmarks: LandmarkStage, fallbackDetector: PersonDetector) {
        self.description = description
        self.landmarks = landmarks
        self.fallbackDetector = fallbackDetector
        tiling = DetectionTiling(level: options.detectTiles)
        tracker = PersonTracker(maxGap: options.trackGap)
        smoother = TemporalSmoother(parameters: options.smoothing)
    }

    /// One block's frames, each with the crops its detection found (nil: no detection ran).
    mutating func process(_ block: [(frame: VideoFrame, detected: [RotatedRect]?)]) throws -> [FrameResult] {
        var jobs: [(frame: VideoFrame, region: RotatedRect)] = []
        var spans: [Range<Int>] = []
        for (frame, detected) in block {
            var newcomers = detected ?? []
            if detected == nil && followed.isEmpty {
                // Nobody to follow: look for people now rather than at the next detection frame.
                let began = DispatchTime.now()
                newcomers = try fallbackDetector.personCrops(in: frame, tiling: tiling, detection: frame.index)
                busy.detection += began.secondsSince
            }
            let regions = planner.plan(tracked: followed, detected: newcomers)
            spans.append(jobs.count..<(jobs.count + regions.count))
            jobs += regions.map { (frame, $0) }
        }
        var began = DispatchTime.now()
        let estimates = try landmarks.estimate(jobs)
        busy.landmarks += began.secondsSince
        began = DispatchTime.now()
        defer { busy.tracking += began.secondsSince }
        var results: [FrameResult] = []
        var next: [RotatedRect] = []  // regions for the next block, last frame's people first
        for ((frame, _), span) in zip(block, spans) {
            var observed: [PersonObservation] = []
            for (offset, index) in span.enumerated() {
                guard let estimate = estimates[index] else { continue }
                observed.append(PersonObservation(keypoints: estimate.keypoints, score: estimate.presence,
                                                  region: jobs[index].region, nextRegion: estimate.nextRegion,
                                                  followed: offset < followed.count))
            }
            if let rule = description.landmarks.newPerson {
                observed.removeAll { !$0.followed && !rule.admits($0.keypoints) }
            }
            observed = PoseSimilarity.removingDuplicates(observed)
            // The last frame's people carry into the next block, and so does anyone a detection
            // found earlier in this block who is not among them.
            let carried = next.filter { region in !observed.contains { $0.nextRegion.map { planner.samePerson($0, region) } ?? false } }
            next = observed.compactMap(\.nextRegion) + carried
            let tracked = tracker.update(observed, at: frame.pts)
            results.append(FrameResult(frame: frame, people: smoother.smooth(tracked, at: frame.pts, activeIDs: tracker.activeIDs)))
        }
        followed = next
        return results
    }
}
