import SkillsDomain

/// The open output files of one province and the counts written to each.
struct ProvinceFiles {
    enum Destination: CaseIterable {
        case workers, training, certificates, events, corrections
    }

    let directory: String
    private var files: [Destination: BufferedFile] = [:]
    private let flat: BufferedFile?
    private var eventsByKind: [String: Int] = [:]
    private var writer = CanonicalJSONWriter(capacity: 1_024)

    static let headers: [Destination: [String]] = [
        .workers: ["id", "worker", "name", "jurisdiction", "employer", "insured_since", "migrant", "frontline", "registered_on"],
        .training: ["id", "worker", "name", "course", "title", "institution", "hours", "started_on", "completed_on", "cost", "paid_by", "track", "occupation"],
        .certificates: ["id", "worker", "name", "occupation", "occupation_name", "level", "certificate", "issuer", "awarded_on", "route"],
    ]

    init(directory: String, flatTable: Bool) throws {
        self.directory = directory
        for destination in Destination.allCases {
            let file = try BufferedFile(path: directory + "/" + ProvinceFiles.fileName(destination))
            if let header = ProvinceFiles.headers[destination] { file.write(CSVText.row(header)) }
            files[destination] = file
        }
        flat = flatTable ? try BufferedFile(path: directory + "/" + ProvinceGenerator.flatTableFile) : nil
        flat?.write(CSVText.row(["id", "kind", "occurred_on", "source", "worker", "employer", "data"]))
    }

    static func fileName(_ destination: Destination) -> String {
        switch destination {
        case .workers: "workers.csv"
        case .training: "training.csv"
        case .certificates: "certificates.csv"
        case .events: "events.jsonl"
        case .corrections: "corrections.jsonl"
        }
    }

    mutating func add(_ event: GeneratedEvent, to destination: Destination) {
        eventsByKind[event.kind.rawValue, default: 0] += 1
        let file = files[destination]!
        switch destination {
        case .workers:
            let date = event.occurredOn.description
            file.write(CSVText.row([event.id, event.worker ?? "", event.name ?? "", event.cell("jurisdiction"), event.cell("employer"),
                                    event.cell("insured_since"), event.cell("migrant"), event.cell("frontline"), date]))
        case .training:
            file.write(CSVText.row([event.id, event.worker ?? "", event.name ?? "", event.cell("course"), event.cell("title"),
                                    event.cell("institution"), event.cell("hours"), event.cell("started_on"), event.occurredOn.description,
                                    event.cell("cost"), event.cell("paid_by"), event.cell("track"), event.cell("occupation")]))
        case .certificates:
            file.write(CSVText.row([event.id, event.worker ?? "", event.name ?? "", event.cell("occupation"), event.cell("occupation_name"),
                                    event.cell("level"), event.cell("certificate"), event.cell("issuer"), event.occurredOn.description,
                                    event.cell("route")]))
        case .events, .corrections:
            writer = CanonicalJSONWriter(capacity: 1_024)
            event.jsonLine(into: &writer)
            file.write(bytes: writer.bytes)
        }
        flat?.write(CSVText.row(event.flatRow()))
    }

    func close(workers: Int, seed: UInt64) throws -> ProvinceSummary {
        var rows: [String: Int] = [:]
        for (destination, file) in files {
            try file.close()
            rows[ProvinceFiles.fileName(destination)] = file.lines - (ProvinceFiles.headers[destination] == nil ? 0 : 1)
        }
        if let flat {
            try flat.close()
            rows[ProvinceGenerator.flatTableFile] = flat.lines - 1
        }
        let summary = ProvinceSummary(workers: workers, seed: seed, eventsByKind: eventsByKind, rowsByFile: rows)
        let summaryFile = try BufferedFile(path: directory + "/summary.json")
        summaryFile.write(CanonicalJSONWriter.string(summary.json) + "\n")
        try summaryFile.close()
        return summary
    }
}
