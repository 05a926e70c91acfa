import Foundation

/// One run's hold on one clip: its `.partial` file, created new by this run and locked (`flock`)
/// for as long as this run writes it.
///
/// Two runs on one output folder (shards whose lists overlap, a rerun while an old job still runs)
/// must never write one clip's file at once: a run that finds the partial locked leaves the clip
/// alone. The lock is the kernel's and dies with its process, so a partial left by a killed run is
/// free at once and the next run replaces it. The partial is never opened for writing by name:
/// it is a new file (`OutputFiles.createTemporary`), locked before it is linked under the name, so
/// no run sees it unlocked, and anything else found under the name (a planted link) is refused.
final class ClipClaim {
    enum Outcome {
        /// This run holds the clip.
        case claimed(ClipClaim)
        /// Another run holds its partial file.
        case busy
        /// Its finished output appeared meanwhile: another run completed it.
        case finished
    }

    let partial: String
    let final: String
    /// The partial, open and locked; closing it releases the lock.
    private var descriptor: Int32?

    private init(partial: String, final: String, descriptor: Int32) {
        self.partial = partial
        self.final = final
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Takes `partial` for this run, replacing a stale one (left by a run that ended). Anything
    /// but a regular file under that name (a link, a pipe, a folder) is refused, not removed.
    /// - Parameter overwrite: go on even when `final` exists (otherwise that is `.finished`).
    static func claim(partial: String, final: String, overwrite: Bool) throws -> Outcome {
        for _ in 0..<16 {
            if FileSystem.linkStatus(partial) != nil {
                try OutputFiles.checkReplaceable(partial)
                if try removeIfStale(partial) { continue }
                return .busy
            }
            guard errno == ENOENT else { throw PosePipeError.outputUnwritable(path: partial, reason: FileSystem.lastError) }
            if !overwrite && FileSystem.status(final) != nil { return .finished }
            if let claim = try create(partial: partial, final: final) { return .claimed(claim) }
        }
        throw PosePipeError.outputUnwritable(path: partial, reason: "other runs keep replacing it")
    }

    /// Removes the regular file at `path` when no run holds it; false when one does. The name is
    /// removed while its lock is held and only if it still names the file found unlocked, so a
    /// partial another run created meanwhile is never taken for a stale one.
    private static func removeIfStale(_ path: String) throws -> Bool {
        let descriptor = FileName.withCString(path) { open($0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        guard descriptor >= 0 else {
            if errno == ENOENT { return true }
            throw PosePipeError.outputUnwritable(path: path, reason: FileSystem.lastError)
        }
        defer { close(descriptor) }
        // `posepipe status` holds a shared lock for an instant to look: a few short tries tell that
        // from a run, which holds its lock for the whole clip.
        var tries = 0
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else { throw PosePipeError.outputUnwritable(path: path, reason: FileSystem.lastError) }
            tries += 1
            if tries == lockTries { return false }
            usleep(lockRetryMicroseconds)
        }
        var found = stat()
        if fstat(descriptor, &found) == 0, let named = FileSystem.linkStatus(path), named.isSameFile(as: found) {
            OutputFiles.remove(path)
        }
        return true
    }

    static let lockTries = 8
    static let lockRetryMicroseconds: UInt32 = 25_000

    /// Whether a run holds `partial` now (nil when there is no such regular file). Looks with a
    /// shared lock taken and dropped at once, never waiting; on NFS this sees other machines' locks
    /// too, since Linux's client turns `flock` into a lock the server keeps.
    static func isHeld(_ partial: String) -> Bool? {
        let descriptor = FileName.withCString(partial) { open($0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var found = stat()
        guard fstat(descriptor, &found) == 0, found.isRegularFile else { return nil }
        guard flock(descriptor, LOCK_SH | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        flock(descriptor, LOCK_UN)
        return false
    }

    /// A new locked file under the name `partial`; nil when another run's appeared there first.
    private static func create(partial: String, final: String) throws -> ClipClaim? {
        let (folder, name) = OutputFiles.split(partial)
        let temporary = try OutputFiles.createTemporary(in: folder, prefix: name, reportedAs: partial)
        defer { OutputFiles.remove(temporary.path) }
        guard flock(temporary.descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(temporary.descriptor)
            throw PosePipeError.outputUnwritable(path: partial, reason: "cannot lock it: \(FileSystem.lastError)")
        }
        // link(2), unlike rename(2), fails when the name exists: two runs cannot both take it.
        let linked = FileName.withCString(temporary.path) { from in FileName.withCString(partial) { link(from, $0) } }
        if linked == 0 { return ClipClaim(partial: partial, final: final, descriptor: temporary.descriptor) }
        let reason = errno
        close(temporary.descriptor)
        if reason == EEXIST { return nil }
        if reason == EPERM || reason == ENOTSUP || reason == EOPNOTSUPP || reason == EMLINK {
            return try createWithoutLinks(partial: partial, final: final)
        }
        throw PosePipeError.outputUnwritable(path: partial, reason: String(cString: strerror(reason)))
    }

    /// For file systems without hard links: created exclusively under its name, then locked.
    /// Another run could find it in the instant before the lock; `publish` then notices.
    private static func createWithoutLinks(partial: String, final: String) throws -> ClipClaim? {
        let descriptor = FileName.withCString(partial) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666) }
        guard descriptor >= 0 else {
            if errno == EEXIST { return nil }
            throw PosePipeError.outputUnwritable(path: partial, reason: FileSystem.lastError)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return ClipClaim(partial: partial, final: final, descriptor: descriptor)
    }

    /// A writer for the partial. It closes its own descriptor; the lock stays with the claim.
    func writer() throws -> TrackWriter {
        guard let descriptor else { throw PosePipeError.outputUnwritable(path: partial, reason: "already released") }
        let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw PosePipeError.outputUnwritable(path: partial, reason: FileSystem.lastError) }
        return TrackWriter(descriptor: copy, path: partial)
    }

    /// Whether the partial holds anything (a stopped clip keeps it only then).
    var isEmpty: Bool {
        guard let descriptor else { return true }
        var status = stat()
        return fstat(descriptor, &status) != 0 || status.st_size == 0
    }

    /// Renames the complete partial to the final name, still holding the lock, then releases it.
    func publish() throws {
        try checkStillMine()
        try OutputFiles.replace(final, with: partial)
        release()
    }

    /// Removes the partial (nothing worth keeping was written) and releases it.
    func discard() {
        if (try? checkStillMine()) != nil { OutputFiles.remove(partial) }
        release()
    }

    func release() {
        if let descriptor { close(descriptor) }
        descriptor = nil
    }

    private func checkStillMine() throws {
        var mine = stat()
        guard let descriptor, fstat(descriptor, &mine) == 0, let named = FileSystem.linkStatus(partial), named.isSameFile(as: mine) else {
            throw PosePipeError.outputUnwritable(path: partial, reason: "another run replaced it")
        }
    }
}
