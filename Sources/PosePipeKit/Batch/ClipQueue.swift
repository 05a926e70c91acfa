import Synchronization

/// The clips a batch's jobs take from, one at a time, and the reports they hand back.
final class ClipQueue: Sendable {
    private let clips: [String]
    private let state: Mutex<(next: Int, reports: [Int: ClipReport])>

    init(_ clips: [String]) {
        self.clips = clips
        state = Mutex((0, [:]))
    }

    /// The next clip and its position, or nil when none is left.
    func take() -> (position: Int, clip: String)? {
        state.withLock { state in
            guard state.next < clips.count else { return nil }
            defer { state.next += 1 }
            return (state.next, clips[state.next])
        }
    }

    func finish(_ position: Int, _ report: ClipReport) {
        state.withLock { $0.reports[position] = report }
    }

    /// Every clip's report in list order; `unfinished` stands in for clips never taken.
    func reports(unfinished: (String) -> ClipReport) -> [ClipReport] {
        state.withLock { state in
            clips.indices.map { state.reports[$0] ?? unfinished(clips[$0]) }
        }
    }
}
