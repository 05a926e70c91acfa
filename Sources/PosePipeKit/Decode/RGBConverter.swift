import CFFmpeg

/// Converts decoded pictures of any pixel format swscale reads into packed RGB24, in the colours
/// the picture was made in. Owns its swscale context; one thread at a time.
final class RGBConverter {
    private var scaler: OpaquePointer?
    /// Pictures that came in a pixel format swscale cannot convert, and that format.
    private(set) var unconvertible = 0
    private(set) var unconvertibleFormat = ""

    deinit {
        sws_freeContext(scaler)
    }

    /// `frame`'s picture as `width * height * 3` bytes, R G B; nil when it has no size or swscale
    /// cannot convert its pixel format (counted in `unconvertible`).
    func rgb(of frame: UnsafeMutablePointer<AVFrame>) -> [UInt8]? {
        let width = Int(frame.pointee.width), height = Int(frame.pointee.height)
        guard width > 0, height > 0 else { return nil }
        let sourceFormat = AVPixelFormat(rawValue: frame.pointee.format)
        scaler = sws_getCachedContext(
            scaler, Int32(width), Int32(height), sourceFormat, Int32(width), Int32(height), AV_PIX_FMT_RGB24,
            // Plain bilinear takes swscale's SIMD path: 0.7 ms a 1080p frame instead of 6.4 ms with
            // accurate rounding and full chroma interpolation, for differences of a level or two.
            SWS_BILINEAR, nil, nil, nil)
        guard let scaler else {
            unconvertible += 1
            unconvertibleFormat = av_get_pix_fmt_name(sourceFormat).map { String(cString: $0) } ?? "#\(frame.pointee.format)"
            return nil
        }
        Self.applyColorimetry(of: frame, to: scaler)
        // swscale writes every byte, so the buffer is not cleared first. Its SIMD converters
        // write whole vectors and run up to a few dozen bytes past the end of a row; the last
        // row's overrun lands in spare capacity that the array owns but does not count.
        let size = width * height * 3
        return [UInt8](unsafeUninitializedCapacity: size + Self.rowOverrun) { out, initialized in
            initialized = size
            var destination: UnsafeMutablePointer<UInt8>? = out.baseAddress
            var destinationStride = Int32(width * 3)
            withUnsafePointer(to: &frame.pointee.data) { planes in
                planes.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: Int(AV_NUM_DATA_POINTERS)) { source in
                    withUnsafePointer(to: &frame.pointee.linesize) { strides in
                        strides.withMemoryRebound(to: Int32.self, capacity: Int(AV_NUM_DATA_POINTERS)) { sourceStrides in
                            _ = sws_scale(scaler, source, sourceStrides, 0, Int32(height), &destination, &destinationStride)
                        }
                    }
                }
            }
        }
    }

    /// Spare bytes after a converted frame for swscale's vector writes past the last row.
    private static let rowOverrun = 1024

    /// HD video is BT.709 and often limited range; converting it with swscale's BT.601
    /// default shifts colours the model was trained without.
    private static func applyColorimetry(of frame: UnsafeMutablePointer<AVFrame>, to scaler: OpaquePointer) {
        let space: Int32
        switch frame.pointee.colorspace {
        case AVCOL_SPC_BT709: space = SWS_CS_ITU709
        case AVCOL_SPC_BT2020_NCL, AVCOL_SPC_BT2020_CL: space = SWS_CS_BT2020
        case AVCOL_SPC_UNSPECIFIED: space = frame.pointee.height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601
        default: space = SWS_CS_ITU601
        }
        let fullRange: Int32 = frame.pointee.color_range == AVCOL_RANGE_JPEG ? 1 : 0
        let table = sws_getCoefficients(space)
        sws_setColorspaceDetails(scaler, table, fullRange, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16)
    }
}
