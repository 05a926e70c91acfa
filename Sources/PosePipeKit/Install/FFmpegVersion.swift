import CFFmpeg

/// The FFmpeg posepipe runs with, read from the loaded libraries: the system's packages can
/// change under an installed binary, so what it was built against says little.
public enum FFmpegVersion {
    /// `5.1.6-0+deb12u1 (libavformat 59.27.100, libavcodec 59.37.100, …)`.
    public static var description: String {
        let libraries = [("libavformat", avformat_version()), ("libavcodec", avcodec_version()),
                         ("libswscale", swscale_version()), ("libavutil", avutil_version())]
        let each = libraries.map { "\($0.0) \(dotted($0.1))" }.joined(separator: ", ")
        return "\(String(cString: av_version_info())) (\(each))"
    }

    /// FFmpeg's AV_VERSION_INT packing: major, minor and micro in bits 16+, 8–15 and 0–7.
    static func dotted(_ packed: UInt32) -> String {
        "\(packed >> 16).\((packed >> 8) & 0xFF).\(packed & 0xFF)"
    }
}
