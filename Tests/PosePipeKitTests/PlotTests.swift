import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import PosePipeKit

/// An SVG read back with an XML parser: each element with its attributes, the group it is in
/// and its text.
final class SVGElements: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var group: String?
        var text = ""
    }

    private(set) var elements: [Element] = []
    private var groups: [String] = []
    private var open: [Int] = []

    init(path: String) throws {
        super.init()
        let parser = try #require(XMLParser(contentsOf: URL(fileURLWithPath: path)))
        parser.delegate = self
        #expect(parser.parse(), "well-formed XML: \(String(describing: parser.parserError))")
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "g" { groups.append(attributes["id"] ?? "") }
        elements.append(Element(name: name, attributes: attributes, group: groups.last))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let last = open.last { elements[last].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "g" { groups.removeLast() }
        open.removeLast()
    }

    func all(_ name: String, in group: String) -> [Element] { elements.filter { $0.name == name && $0.group == group } }

    /// The linear map from data to SVG coordinates that a panel's tick labels show.
    func axis(_ className: String, in group: String, coordinate: String) throws -> (Double) -> Double {
        let ticks = all("text", in: group).filter { $0.attributes["class"] == className }
        #expect(ticks.count >= 2, "\(group) has \(className) labels")
        let a = ticks.first!, b = ticks.last!
        let va = try #require(Double(a.text)), vb = try #require(Double(b.text))
        var pa = try #require(Double(a.attributes[coordinate] ?? "")), pb = try #require(Double(b.attributes[coordinate] ?? ""))
        if className == "tick-y" { pa -= 4; pb -= 4 }  // labels sit 4 below their tick, on the baseline
        return { pa + ($0 - va) / (vb - va) * (pb - pa) }
    }
}

@Suite struct PlotTests {
    @Test func theSVGShowsWhenEachIdIsSeenAndWhereItsClearJointsAre() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tracks = folder.appendingPathComponent("t.jsonl")
        let names = try SampleTracks.blazePose
        try SampleTracks.write(to: tracks, names: names)
        let out = folder.appendingPathComponent("plot.svg").path
        // left_wrist (15) is clear in the sample, right_ankle (28) never is.
        _ = try TrackPlot(joints: ["left_wrist", "right_ankle"]).write(try TrackFileReader(path: tracks.path), to: out)
        let svg = try SVGElements(path: out)
        #expect(Set(svg.elements.compactMap { $0.name == "g" ? $0.attributes["id"] : nil }) == ["timeline", "x", "y", "score"])
        let seconds = try svg.axis("tick-x", in: "x", coordinate: "x")

        // Seen in frames 0, 2 and 3 (at 0, 1/30 and 1/10 s): two bars per id.
        for id in ["1", "2"] {
            let bars = svg.all("rect", in: "timeline").filter { $0.attributes["data-id"] == id }
            #expect(bars.count == 2)
            let starts = bars.compactMap { Double($0.attributes["x"] ?? "") }
            #expect(zip(starts, [0, 2.0 / 30].map(seconds)).allSatisfy { abs($0 - $1) < 0.02 }, "\(starts)")
        }

        for (panel, coordinate) in [("x", 0), ("y", 1)] {
            let pixels = try svg.axis("tick-y", in: panel, coordinate: "y")
            for id in [1, 2] {
                let lines = svg.all("polyline", in: panel).filter { $0.attributes["data-id"] == String(id) }
                #expect(lines.allSatisfy { $0.attributes["data-joint"] == "left_wrist" }, "right_ankle is never clear")
                // Broken where the person is not seen: frame 0, then frames 2 and 3.
                let stretches = lines.map { line in
                    (line.attributes["points"] ?? "").split(separator: " ").map { $0.split(separator: ",").compactMap { Double($0) } }
                }
                #expect(stretches.map(\.count) == [1, 2])
                for (point, frame) in zip(stretches.flatMap { $0 }, [0, 2, 3]) {
                    let expected = SampleTracks.keypoint(15, id: id, frame: frame)[coordinate] as! Double
                    #expect(abs(point[0] - seconds(Double(frame) / 30)) < 0.02)
                    #expect(abs(point[1] - pixels(expected)) < 0.02, "\(panel) of id \(id) in frame \(frame)")
                }
            }
        }
        let score = try svg.axis("tick-y", in: "score", coordinate: "y")
        let first = try #require(svg.all("polyline", in: "score").first { $0.attributes["data-id"] == "1" })
        let y = try #require(Double((first.attributes["points"] ?? "").split(separator: ",").last ?? ""))
        #expect(abs(y - score(0.95)) < 0.02)
    }

    @Test func unknownJointsAreAUsageError() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tracks = folder.appendingPathComponent("t.jsonl")
        try SampleTracks.write(to: tracks, names: try SampleTracks.blazePose)
        let outcome = try CLI.run(["plot", tracks.path, "--joints", "left_wrist,tail", "-o", folder.path + "/p.svg"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.hasPrefix("posepipe: --joints: tail not among"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/p.svg"))
    }
}
