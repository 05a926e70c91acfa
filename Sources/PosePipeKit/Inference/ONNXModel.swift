import CONNXRuntime
import Foundation

/// One ONNX Runtime session: a model ready to run a float32 or uint8 picture into float32 outputs.
///
/// A session serves one pipeline worker at a time; each worker owns its own sessions, so no
/// two threads ever run the same one and every worker computes the same numbers.
public final class ONNXModel: @unchecked Sendable {
    public let path: String
    /// The inputs and outputs the model declares, in its own order.
    public let inputs: [TensorInfo]
    public let outputs: [TensorInfo]
    private let session: OpaquePointer

    /// Opens `path` with `threads` intra-op threads (1 keeps results independent of scheduling).
    public init(path: String, threads: Int = 1) throws {
        try ONNXRuntime.load()
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw PosePipeError.runtimeUnavailable("model file missing: \(path)")
        }
        var message = [CChar](repeating: 0, count: 1024)
        guard let session = pp_ort_session_open(path, Int32(threads), &message, message.count) else {
            throw PosePipeError.runtimeUnavailable("cannot open model \(path): \(String(nulTerminatedMessage: message))")
        }
        self.path = path
        self.session = session
        do {
            inputs = try Self.declared(session, outputs: false)
            outputs = try Self.declared(session, outputs: true)
        } catch {
            pp_ort_session_close(session)
            throw error
        }
    }

    /// A tensor the model declares: its name, element type and shape (-1 where left free).
    public struct TensorInfo: Sendable, Equatable {
        public var name: String
        /// ONNX's element type code (1 float32, 2 uint8, 7 int64…).
        public var elementType: Int
        public var shape: [Int]

        public var isFloat: Bool { elementType == 1 }
        public var isUInt8: Bool { elementType == 2 }
    }

    /// The declared tensor called `name`, among the inputs or the outputs.
    public func input(named name: String) -> TensorInfo? { inputs.first { $0.name == name } }
    public func output(named name: String) -> TensorInfo? { outputs.first { $0.name == name } }

    private static func declared(_ session: OpaquePointer, outputs: Bool) throws -> [TensorInfo] {
        let flag: Int32 = outputs ? 1 : 0
        return try (0..<pp_ort_session_io_count(session, flag)).map { index in
            var name = [CChar](repeating: 0, count: 512)
            var message = [CChar](repeating: 0, count: 512)
            var dims = [Int64](repeating: 0, count: 16)
            var rank = 0
            var type: Int32 = 0
            guard pp_ort_session_io_info(session, flag, index, &name, name.count, &type, &dims, dims.count, &rank,
                                         &message, message.count) == 0 else {
                throw PosePipeError.runtimeUnavailable("cannot read the model's tensors: \(String(nulTerminatedMessage: message))")
            }
            return TensorInfo(name: String(nulTerminated: name), elementType: Int(type),
                              shape: dims.prefix(min(rank, dims.count)).map { Int($0) })
        }
    }

    /// The session, for runs defined in other files of this module.
    func withSessionPointer<R>(_ body: (OpaquePointer) -> R) -> R { body(session) }

    deinit {
        pp_ort_session_close(session)
    }

    /// A requested output: its name and shape, which the caller knows from the pipeline description.
    public struct Output: Sendable {
        public var name: String
        public var shape: [Int]
        public init(name: String, shape: [Int]) {
            self.name = name
            self.shape = shape
        }
        var count: Int { shape.reduce(1, *) }
    }

    /// Runs `input` of `shape` through the model and returns each requested output's values.
    public func run(input name: String, _ input: UnsafeBufferPointer<Float>, shape: [Int], outputs: [Output]) throws -> [[Float]] {
        try run(input: name, UnsafeRawPointer(input.baseAddress), type: Int32(PP_ORT_FLOAT), shape: shape, outputs: outputs)
    }

    /// Runs a uint8 `input` of `shape` (pictures of 0–255 values, as TFLite-born models such as
    /// MoveNet take them) and returns each requested output's values.
    public func run(input name: String, _ input: UnsafeBufferPointer<UInt8>, shape: [Int], outputs: [Output]) throws -> [[Float]] {
        try run(input: name, UnsafeRawPointer(input.baseAddress), type: Int32(PP_ORT_UINT8), shape: shape, outputs: outputs)
    }

    private func run(input name: String, _ input: UnsafeRawPointer?, type: Int32, shape: [Int], outputs: [Output]) throws -> [[Float]] {
        let buffers = outputs.map { UnsafeMutableBufferPointer<Float>.allocate(capacity: $0.count) }
        defer { buffers.forEach { $0.deallocate() } }
        let inputShape = shape.map(Int64.init)
        let outputShapes = outputs.flatMap { $0.shape.map(Int64.init) }
        let outputRanks = outputs.map { $0.shape.count }
        var message = [CChar](repeating: 0, count: 1024)
        let status = withCStrings(outputs.map(\.name)) { names in
            pp_ort_run(session, name, input, type, inputShape, inputShape.count,
                       outputs.count, names, buffers.map(\.baseAddress), outputShapes, outputRanks,
                       &message, message.count)
        }
        guard status == 0 else {
            throw PosePipeError.inferenceFailed("\(URL(fileURLWithPath: path).lastPathComponent): \(String(nulTerminatedMessage: message))")
        }
        return buffers.map { Array($0) }
    }
}

func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) })
}
