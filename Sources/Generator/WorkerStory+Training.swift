import SkillsDomain

extension WorkerStory {
    /// 0–4 trainings (mean 1.9); four in five lead to a certificate in the same occupation within eight months, up
    /// the worker's ladder; a few certificates come without a training (skip-level, competitions, appointments).
    mutating func tellTrainingsAndCertificates() {
        let count = random.weighted([10, 30, 33, 18, 9])
        let days = (0..<count).map { _ in randomDay() }.sorted()
        for completed in days {
            let training = makeTraining(completed: completed)
            place(training, csv: true)
            guard random.chance(4, in: 5) else { continue }
            let awarded = completed + random.int(in: 10...200)
            guard awarded <= Province.windowEnd, let occupation = occupation(of: training) else { continue }
            certify(occupation: occupation, day: awarded, route: random.weighted([80, 15, 5]) == 1 ? "enterprise" : "exam")
        }
        if random.chance(20, in: 100) {
            let route = random.weighted([40, 40, 20])
            certify(occupation: mainOccupation, day: randomDay(), route: ["skip-level", "competition", "exam"][route])
        }
        if random.chance(7, in: 1_000) {
            let level: SkillLevel = random.chance(1, in: 4) ? .chiefTechnician : .principalTechnician
            certify(occupation: mainOccupation, day: randomDay(), route: "exam", level: level)
        }
    }

    mutating func makeTraining(completed: Int) -> GeneratedEvent {
        let occupation = random.chance(4, in: 5) ? mainOccupation : random.pick(plan.occupations)
        let onTechnicianTrack = occupation.code == mainOccupation.code && nextLevel >= 3
        let track = onTechnicianTrack ? "technician" : ["pre-job", "upgrade", "transfer"][random.weighted([25, 60, 15])]
        let paidBy = ["self", "employer", "government"][random.weighted(migrant ? [50, 25, 25] : [20, 50, 30])]
        let hours = onTechnicianTrack ? random.int(in: 15...40) * 8 : random.int(in: 2...20) * 8
        let costYuan = onTechnicianTrack ? random.int(in: 20...60) * 100 : random.int(in: 6...60) * 50
        let cost = random.chance(1, in: 10) ? "\(costYuan).50" : String(costYuan)
        let started = completed - random.int(in: hours / 8...hours / 4)
        let institution = random.pick(organisations.institutions)
        let trackTitle = ["pre-job": "岗前", "upgrade": "技能提升", "transfer": "转岗", "technician": "技师研修"][track]!
        var data = [
            JSONMember("course", .string("\(plan.key.uppercased())-\(CivilDays.date(completed).year)-\(occupation.code.suffix(5))")),
            JSONMember("title", .string("\(occupation.name)\(trackTitle)培训班")), JSONMember("institution", .string(institution)),
            JSONMember("hours", .number(String(hours))), JSONMember("started_on", .string(CivilDays.date(started).description)),
            JSONMember("cost", .string(cost)), JSONMember("paid_by", .string(paidBy)), JSONMember("track", .string(track)),
        ]
        if random.chance(19, in: 20) { data.append(JSONMember("occupation", .string(occupation.code))) }
        return event(id("t"), .trainingCompleted, completed, source: institution, data)
    }

    func occupation(of training: GeneratedEvent) -> Occupation? {
        let code = training.cell("occupation")
        return plan.occupations.first { $0.code == code }
    }

    /// A certificate up the worker's ladder in their main occupation (or an entry level in another one).
    mutating func certify(occupation: Occupation, day: Int, route: String, level fixed: SkillLevel? = nil) {
        let level: SkillLevel
        if let fixed {
            level = fixed
        } else if occupation.code == mainOccupation.code {
            level = WorkerStory.ladder[nextLevel]
            if random.chance(3, in: 4) { nextLevel = min(nextLevel + 1, WorkerStory.ladder.count - 1) }
        } else {
            level = random.pick(ProvinceCatalogue.entryLevels)
        }
        let issuer = route == "enterprise" ? (employer ?? organisations.evaluators[0]) : random.pick(organisations.evaluators)
        let certificate = SyntheticIdentifiers.certificateNumber(route: route, site: district, year: CivilDays.date(day).year,
                                                                 level: level, serial: index * 8 + serial)
        let awarded = event(id("c"), .certificationAwarded, day, source: issuer, [
            JSONMember("occupation", .string(occupation.code)), JSONMember("occupation_name", .string(occupation.name)),
            JSONMember("level", .string(level.rawValue)), JSONMember("certificate", .string(certificate)),
            JSONMember("issuer", .string(issuer)), JSONMember("route", .string(route)),
        ])
        place(awarded, csv: true)
        if random.chance(5, in: 1_000) && day + 30 <= Province.windowEnd {
            corrections.append(event(id("k"), .certificationRevoked, random.int(in: (day + 30)...Province.windowEnd), source: plan.bureau, [
                JSONMember("certificate", .string(certificate)), JSONMember("reason", .string("考试作弊，依规撤销证书 (exam misconduct)")),
            ]))
        }
    }

    /// Shiyan's institutions send CSV; everyone else's records arrive as JSON Lines.
    mutating func place(_ event: GeneratedEvent, csv: Bool) {
        guard csv && plan.key == "sy" else { events.append(event); return }
        if event.kind == .trainingCompleted { csvTrainings.append(event) } else { csvCertificates.append(event) }
    }
}
