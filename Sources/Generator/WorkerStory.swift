import SkillsDomain

/// One synthetic worker's life in the ledger: registration, trainings and the certificates that follow them, credits,
/// apprenticeships, competitions, honours, attribute changes, and the occasional revocation or reversal. Made from
/// the worker's own random stream, so any worker can be generated alone and the province streams in bounded memory.
struct WorkerStory {
    /// The registration (workers.csv).
    var registration: GeneratedEvent
    /// Trainings and certificates that institutions send as CSV (Shiyan's institutions, in the generated province).
    var csvTrainings: [GeneratedEvent] = []
    var csvCertificates: [GeneratedEvent] = []
    /// Everything else, as JSON Lines, in the order it happened.
    var events: [GeneratedEvent] = []
    /// Revocations and reversals, submitted after the events they point at.
    var corrections: [GeneratedEvent] = []

    static let ladder: [SkillLevel] = [.junior, .intermediate, .senior, .technician, .seniorTechnician]

    var random: SeededRandom
    let index: Int
    let organisations: PlanOrganisations
    var plan: Plan { organisations.plan }
    let citizen: String
    let name: String
    let district: String
    let employer: String?
    let migrant: Bool
    let firstDay: Int
    let mainOccupation: Occupation
    var nextLevel: Int
    var serial = 0

    init(index: Int, seed: UInt64, province: Province) {
        var random = SeededRandom(seed: seed, stream: UInt64(index))
        let organisations = province.organisations[random.weighted(province.shares)]
        let plan = organisations.plan
        self.index = index
        self.organisations = organisations
        district = random.pick(plan.districts)
        citizen = SyntheticIdentifiers.citizenID(index: index, addressCode: district)
        name = random.pick(ProvinceCatalogue.surnames) + random.pick(ProvinceCatalogue.givenCharacters)
            + (random.chance(7, in: 10) ? random.pick(ProvinceCatalogue.givenCharacters) : "")
        employer = random.chance(93, in: 100) ? random.pick(organisations.employers) : nil
        migrant = random.chance(3, in: 10)
        let registered = Province.registrationStart + random.int(in: 0...364)
        firstDay = max(registered + 1, Province.windowStart)
        mainOccupation = random.pick(plan.occupations)
        nextLevel = random.weighted([50, 30, 20])
        registration = WorkerStory.registration(index: index, plan: plan, citizen: citizen, name: name, district: district,
                                                employer: employer, migrant: migrant, registered: registered, random: &random)
        self.random = random
    }

    /// The whole story, written into the story's lists.
    static func make(index: Int, seed: UInt64, province: Province) -> WorkerStory {
        var story = WorkerStory(index: index, seed: seed, province: province)
        story.tellTrainingsAndCertificates()
        story.tellAttributeChange()
        story.tellCredits()
        story.tellApprenticeship()
        story.tellCompetitionsAndHonours()
        story.tellReversal()
        story.events.sort { ($0.occurredOn, $0.id) < ($1.occurredOn, $1.id) }
        return story
    }

    static func registration(index: Int, plan: Plan, citizen: String, name: String, district: String, employer: String?,
                             migrant: Bool, registered: Int, random: inout SeededRandom) -> GeneratedEvent {
        let registeredMonth = CivilDays.date(registered).yearMonth
        let roll = random.int(in: 0...99)
        let insuredSince: Month? = roll < 78 ? Month(index: random.int(in: Month(year: 2008, month: 1)!.index...registeredMonth.index))
            : roll < 90 ? registeredMonth.adding(random.int(in: 0...10)) : nil
        var data = [JSONMember("jurisdiction", .string(district))]
        if let employer { data.append(JSONMember("employer", .string(employer))) }
        if let insuredSince { data.append(JSONMember("insured_since", .string(insuredSince.description))) }
        data.append(JSONMember("migrant", .bool(migrant)))
        data.append(JSONMember("frontline", .bool(random.chance(65, in: 100))))
        return GeneratedEvent(id: "\(plan.key)w\(index)", kind: .workerRegistered, occurredOn: CivilDays.date(registered),
                              source: district, worker: citizen, data: data, name: name)
    }

    mutating func id(_ letter: String) -> String {
        serial += 1
        return "\(plan.key)\(letter)\(index).\(serial)"
    }

    mutating func randomDay(from first: Int? = nil) -> Int {
        let start = max(first ?? firstDay, firstDay)
        return start >= Province.windowEnd ? Province.windowEnd : random.int(in: start...Province.windowEnd)
    }

    func event(_ id: String, _ kind: EventKind, _ day: Int, source: String, _ data: [JSONMember]) -> GeneratedEvent {
        GeneratedEvent(id: id, kind: kind, occurredOn: CivilDays.date(day), source: source, worker: citizen, data: data, name: name)
    }
}
