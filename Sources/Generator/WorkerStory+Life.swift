import SkillsDomain

extension WorkerStory {
    /// One in ten workers changes employer, frontline status, district or insurance during the window.
    mutating func tellAttributeChange() {
        guard random.chance(1, in: 10) else { return }
        let day = randomDay()
        let variant = random.weighted([40, 25, 20, 15])
        let data: [JSONMember]
        switch variant {
        case 0: data = [JSONMember("employer", .string(random.pick(organisations.employers)))]
        case 1: data = [JSONMember("frontline", .bool(random.chance(1, in: 2)))]
        case 2: data = [JSONMember("jurisdiction", .string(random.pick(plan.districts)))]
        default: data = [JSONMember("insured_since", .string(Month(index: CivilDays.date(day).yearMonth.index - random.int(in: 0...30)).description))]
        }
        events.append(event(id("g"), .workerChanged, day, source: plan.bureau, data))
    }

    /// Explicit credits (学分银行): half the workers earn one, some two.
    mutating func tellCredits() {
        let count = random.weighted([40, 48, 12])
        for _ in 0..<count {
            let kind = ["course", "certificate", "degree", "other"][random.weighted([40, 20, 15, 25])]
            let institutionIndex = random.int(in: 0...(organisations.institutions.count - 1))
            let eventID = id("e")
            events.append(event(eventID, .creditEarned, randomDay(), source: organisations.institutions[institutionIndex], [
                JSONMember("credits", .string("\(random.int(in: 0...5)).\(random.chance(1, in: 2) ? 5 : 0)".replacingOccurrencesOfZeroCredit())),
                JSONMember("source_kind", .string(kind)), JSONMember("reference", .string("CR-\(eventID)")),
                JSONMember("institution", .string(plan.institutionNames[institutionIndex])),
            ]))
        }
    }

    /// Apprenticeships: common in Baiyin (modern apprenticeship, paid to the employer monthly), rare elsewhere.
    mutating func tellApprenticeship() {
        guard random.chance(plan.key == "by" ? 18 : 1, in: plan.key == "by" ? 100 : 100) else { return }
        let start = randomDay(from: LocalDate(year: 2024, month: 9, day: 1)!.dayNumber)
        let planned = [12, 24, 36][random.weighted([40, 45, 15])]
        let employer = self.employer ?? random.pick(organisations.employers)
        let startID = id("p")
        events.append(event(startID, .apprenticeshipStarted, start, source: employer, [
            JSONMember("employer", .string(employer)), JSONMember("institution", .string(plan.institutionNames[0])),
            JSONMember("scheme", .string(plan.key == "by" && random.chance(3, in: 4) ? "modern" : "enterprise-new")),
            JSONMember("planned_months", .number(String(planned))),
        ]))
        let plannedEnd = CivilDays.date(start).adding(months: planned).dayNumber
        guard random.chance(35, in: 100) else { return }
        if plannedEnd <= Province.windowEnd && random.chance(3, in: 5) {
            events.append(event(id("q"), .apprenticeshipEnded, plannedEnd, source: employer, [JSONMember("outcome", .string("completed"))]))
        } else if start + 30 < Province.windowEnd {
            events.append(event(id("q"), .apprenticeshipEnded, random.int(in: (start + 30)...Province.windowEnd), source: employer,
                                [JSONMember("outcome", .string("terminated"))]))
        }
    }

    /// Competitions (Zhengzhou's city contest feeds the talent pool) and honours (Wuhou's 诸葛工匠 pays 10,000 once).
    mutating func tellCompetitionsAndHonours() {
        if random.chance(plan.key == "zz" ? 10 : 4, in: 100) {
            let day = randomDay()
            let tier = ProvinceCatalogue.competitionTiers[random.weighted(plan.key == "zz" ? [15, 20, 45, 15, 5] : [40, 25, 20, 12, 3])]
            events.append(event(id("m"), .competitionPlaced, day, source: plan.bureau, [
                JSONMember("competition", .string("\(CivilDays.date(day).year)年\(plan.city)职业技能大赛（\(mainOccupation.name)）")),
                JSONMember("tier", .string(tier)), JSONMember("rank", .number(String(random.int(in: 1...12)))),
                JSONMember("occupation", .string(mainOccupation.code)),
            ]))
        }
        let honoured = plan.key == "wh" ? random.chance(3, in: 100) : random.chance(6, in: 1_000)
        guard honoured else { return }
        let title = plan.key == "wh" ? "诸葛工匠" : random.pick(ProvinceCatalogue.honourTitles)
        let times = plan.key == "wh" && random.chance(1, in: 10) ? 2 : 1
        for _ in 0..<times {
            events.append(event(id("h"), .honorAwarded, randomDay(), source: plan.bureau, [
                JSONMember("title", .string(title)), JSONMember("tier", .string(plan.key == "wh" ? "district" : "city")),
            ]))
        }
    }

    /// One worker in a hundred has a training or certificate keyed in error and reversed by the bureau.
    mutating func tellReversal() {
        guard random.chance(1, in: 100) else { return }
        let candidates = (csvTrainings + csvCertificates + events).filter { $0.kind == .trainingCompleted || $0.kind == .certificationAwarded }
        guard !candidates.isEmpty else { return }
        let target = random.pick(candidates)
        let day = min(target.occurredOn.dayNumber + random.int(in: 5...60), Province.windowEnd)
        // A reversal concerns an event, not a person: it names no worker.
        var reversal = event(id("r"), .eventReversed, day, source: plan.bureau, [
            JSONMember("target", .string(target.id)), JSONMember("reason", .string("录入错误，冲正 (keyed in error)")),
        ])
        reversal.worker = nil
        corrections.append(reversal)
    }
}

private extension String {
    /// "0.0" credits would be refused as meaningless; make it half a credit.
    func replacingOccurrencesOfZeroCredit() -> String { self == "0.0" ? "0.5" : self }
}
