import CONNXRuntime
import Foundation

extension ONNXModel {
    /// An output whose shape the run decides (a detector's box count), its values as float32.
    public struct SizedOutput: Sendable, Equatable {
        public var shape: [Int]
        public var values: [Float]
    }

    /// Runs a float32 `input` of `shape` and returns the named outputs with the shapes ONNX Runtime gave
    /// them; integer outputs (class labels) come back as floats.
    public func runSized(input name: String, _ input: UnsafeBufferPointer<Float>, shape: [Int], outputs names: [String]) throws
        -> [SizedOutput]
    {
        var values = [pp_ort_value](repeating: pp_ort_value(), count: names.count)
        let inputShape = shape.map(Int64.init)
        var message = [CChar](repeating: 0, count: 1024)
        let status = withSessionPointer { session in
            withCStrings(names) { cNames in
                pp_ort_run_sized(session, name, UnsafeRawPointer(input.baseAddress), Int32(PP_ORT_FLOAT), inputShape, inputShape.count,
                                 names.count, cNames, &values, &message, message.count)
            }
        }
        guard status == 0 else {
            throw PosePipeError.inferenceFailed("\(URL(fileURLWithPath: path).lastPathComponent): \(String(nulTerminated: message))")
        }
        defer { values.forEach { free($0.data) } }
        return values.map { value in
            let dims = withUnsafeBytes(of: value.shape) { Array($0.bindMemory(to: Int64.self).prefix(value.rank)).map(Int.init) }
            let data = value.data.map { Array(UnsafeBufferPointer(start: $0, count: value.count)) } ?? []
            return SizedOutput(shape: dims, values: data)
        }
    }
}
