import SkillsDomain

/// Valid, unique identifiers for synthetic people and organisations. Uniqueness comes from the index, not from luck:
/// worker i's birth date and sequence number are a bijection of i, so no two workers share a 公民身份号码.
enum SyntheticIdentifiers {
    static let firstBirthDay = LocalDate(year: 1965, month: 1, day: 1)!.dayNumber
    /// Birth dates span 1965-01-01 … 2004-12-21 (14,600 days); sequence numbers 000…999 give 14.6 million people.
    static let birthDays = 14_600
    /// The most workers a province can have: 14,600 birth dates × 1,000 sequence numbers.
    public static let maximumWorkers = birthDays * 1_000

    /// Worker `index`'s 公民身份号码 with `addressCode` (the first six digits of their district).
    static func citizenID(index: Int, addressCode: some StringProtocol) -> String {
        precondition(index >= 0 && index < maximumWorkers)
        // Spread neighbouring indexes over the calendar (7919 is prime, coprime with 14,600).
        let day = firstBirthDay + (index % birthDays) * 7_919 % birthDays
        let sequence = index / birthDays
        return CitizenID.withCheckCharacter(String(addressCode.prefix(6)) + compact(CivilDays.date(day)) + pad(sequence, 3))
    }

    /// A 公民身份号码 from an address code no generated worker uses (北京市朝阳区): a payee the ledger has never seen.
    static func strangerID(index: Int) -> String {
        let day = firstBirthDay + index % birthDays
        return CitizenID.withCheckCharacter("110105" + compact(CivilDays.date(day)) + pad(index / birthDays % 1_000, 3))
    }

    static let creditAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    /// A 统一社会信用代码: department and type (`91` enterprise, `52` private school, `12` public institution), region,
    /// a 组织机构代码 with its GB 11714 check character, and the GB 32100 check character.
    static func creditCode(type: String, region: some StringProtocol, serial: Int) -> String {
        var body = type.hasPrefix("9") ? "MA" : "J0"
        var rest = serial
        var tail: [Character] = []
        for _ in 0..<6 {
            tail.append(creditAlphabet[rest % creditAlphabet.count])
            rest /= creditAlphabet.count
        }
        body += String(tail.reversed())
        return CreditCode.withCheckCharacter(type + String(region.prefix(6)) + organisationCode(body))
    }

    /// GB 11714: eight characters and a check character (weights 3 7 9 10 5 8 4 2, 11 − sum mod 11; 10 → X, 11 → 0).
    static func organisationCode(_ body: String) -> String {
        let weights = [3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for (character, weight) in zip(body.unicodeScalars, weights) {
            let value = character.properties.numericType != nil ? Int(character.value) - 48 : Int(character.value) - 55
            sum += value * weight
        }
        let check = 11 - sum % 11
        return body + (check == 10 ? "X" : check == 11 ? "0" : String(check))
    }

    /// 22 characters: S (evaluation body) or Y (employer), body, province, 6-digit site, year, grade digit, serial.
    static func certificateNumber(route: String, site: some StringProtocol, year: Int, level: SkillLevel, serial: Int) -> String {
        let prefix = route == "enterprise" ? "Y" : "S"
        let grade = level.grade ?? 1
        return prefix + "0001" + String(site.prefix(2)) + String(site.prefix(6)) + pad(year % 100, 2) + String(grade) + pad(serial % 1_000_000, 6)
    }

    static func compact(_ date: LocalDate) -> String { pad(date.year, 4) + pad(date.month, 2) + pad(date.day, 2) }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// Day arithmetic for the generator (LocalDate has `dayNumber`; this is its inverse).
enum CivilDays {
    /// The date of a day number (days since 1970-01-01), Howard Hinnant's civil-from-days.
    static func date(_ dayNumber: Int) -> LocalDate {
        LocalDate(dayNumber: dayNumber)!
    }
}
